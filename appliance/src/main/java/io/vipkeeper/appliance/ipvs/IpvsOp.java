package io.vipkeeper.appliance.ipvs;

/** One change to the kernel's IPVS table, as the reconciler plans it and logs it. */
public sealed interface IpvsOp {
    /** Why, for the log line of the repair. */
    String reason();

    /** The service this command changes. */
    ServiceKey service();

    /** What the command does, for logs and errors: "add TCP  198.18.0.10:80 (rr)". */
    static String describe(IpvsOp op) {
        if (op instanceof NewService o) {
            return "add service " + o.spec().key() + " (" + o.spec().scheduler() + ")";
        } else if (op instanceof SetService o) {
            return "edit service " + o.spec().key() + " (" + o.spec().scheduler() + ")";
        } else if (op instanceof DelService o) {
            return "delete service " + o.key();
        } else if (op instanceof NewDest o) {
            return "add real server " + o.dest().key() + " to " + o.service() + " (" + o.dest().forwarding().configName()
                    + " weight " + o.dest().weight() + ")";
        } else if (op instanceof SetDest o) {
            return "edit real server " + o.dest().key() + " of " + o.service() + " ("
                    + o.dest().forwarding().configName() + " weight " + o.dest().weight() + ")";
        } else if (op instanceof DelDest o) {
            return "delete real server " + o.dest() + " from " + o.service();
        }
        throw new IllegalArgumentException(String.valueOf(op));
    }

    /** IPVS_CMD_NEW_SERVICE. */
    record NewService(ServiceSpec spec, String reason) implements IpvsOp {
        @Override
        public ServiceKey service() {
            return spec.key();
        }
    }

    /** IPVS_CMD_SET_SERVICE. */
    record SetService(ServiceSpec spec, String reason) implements IpvsOp {
        @Override
        public ServiceKey service() {
            return spec.key();
        }
    }

    /** IPVS_CMD_DEL_SERVICE. */
    record DelService(ServiceKey key, String reason) implements IpvsOp {
        @Override
        public ServiceKey service() {
            return key;
        }
    }

    /** IPVS_CMD_NEW_DEST. */
    record NewDest(ServiceKey service, DestSpec dest, String reason) implements IpvsOp {
    }

    /** IPVS_CMD_SET_DEST. */
    record SetDest(ServiceKey service, DestSpec dest, String reason) implements IpvsOp {
    }

    /** IPVS_CMD_DEL_DEST. */
    record DelDest(ServiceKey service, DestKey dest, String reason) implements IpvsOp {
    }
}
