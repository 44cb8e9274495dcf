package io.vipkeeper.appliance.dataplane;

/**
 * One change to a data plane's table, as the shared reconciler plans it and logs it; an engine
 * carries it out (IPVS: one generic netlink command each).
 */
public sealed interface TableChange {
    /** Why, for the log line of the repair. */
    String reason();

    /** The service this command changes. */
    ServiceKey service();

    /** What the command does, for logs and errors: "add TCP  198.18.0.10:80 (rr)". */
    static String describe(TableChange op) {
        if (op instanceof NewService o) {
            return "add service " + o.spec().key() + " (" + o.spec().scheduler() + ")";
        } else if (op instanceof SetService o) {
            return "edit service " + o.spec().key() + " (" + o.spec().scheduler() + ")";
        } else if (op instanceof DelService o) {
            return "delete service " + o.key();
        } else if (op instanceof NewBackend o) {
            return "add real server " + o.dest().key() + " to " + o.service() + " (" + o.dest().forwarding().configName()
                    + " weight " + o.dest().weight() + ")";
        } else if (op instanceof SetBackend o) {
            return "edit real server " + o.dest().key() + " of " + o.service() + " ("
                    + o.dest().forwarding().configName() + " weight " + o.dest().weight() + ")";
        } else if (op instanceof DelBackend o) {
            return "delete real server " + o.dest() + " from " + o.service();
        }
        throw new IllegalArgumentException(String.valueOf(op));
    }

    /** Add a service (IPVS_CMD_NEW_SERVICE). */
    record NewService(ServiceSpec spec, String reason) implements TableChange {
        @Override
        public ServiceKey service() {
            return spec.key();
        }
    }

    /** Change a service's spec (IPVS_CMD_SET_SERVICE). */
    record SetService(ServiceSpec spec, String reason) implements TableChange {
        @Override
        public ServiceKey service() {
            return spec.key();
        }
    }

    /** Delete a service with its backends (IPVS_CMD_DEL_SERVICE). */
    record DelService(ServiceKey key, String reason) implements TableChange {
        @Override
        public ServiceKey service() {
            return key;
        }
    }

    /** Add a backend (IPVS_CMD_NEW_DEST). */
    record NewBackend(ServiceKey service, BackendSpec dest, String reason) implements TableChange {
    }

    /** Change a backend (IPVS_CMD_SET_DEST). */
    record SetBackend(ServiceKey service, BackendSpec dest, String reason) implements TableChange {
    }

    /** Delete a backend (IPVS_CMD_DEL_DEST). */
    record DelBackend(ServiceKey service, BackendKey dest, String reason) implements TableChange {
    }
}
