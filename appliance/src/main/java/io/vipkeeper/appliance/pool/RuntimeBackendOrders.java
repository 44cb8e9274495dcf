package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.Durations;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.Capabilities;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code vipkeeper backend add|remove} up to the state file: each checked, refused with its reason
 * or written and logged. The caller ({@link DataPlaneManager}, on its thread) then hands the new
 * backends to the health monitor and the pools and reconciles, so the kernel follows the file.
 */
final class RuntimeBackendOrders {
    private static final Logger log = LoggerFactory.getLogger(DataPlaneManager.class);

    /** The most runtime backends one virtual server takes. */
    static final int MAX_PER_SERVICE = 1024;

    private RuntimeBackendOrders() {
    }

    /**
     * Adds {@code backend} to {@code vs} at {@code weight}, persisted in {@code runtime}, if the
     * engine ({@code caps}, null while none is open) can program it beside the service's others.
     */
    static BackendChange add(RuntimeState runtime, VirtualServer vs, String backend, int weight, String who,
            Capabilities caps) throws BackendRefusal {
        BackendKey key = RuntimeBackends.parse(vs, backend);
        Optional<String> engine = RuntimeBackends.engineProblem(vs, key, caps);
        if (engine.isPresent()) {
            // A bare address means the service's port: an operator who gave none saw only the
            // one-port rule and not which port the order had asked for.
            boolean portless = io.vipkeeper.appliance.config.Addresses.parseSocket(backend).isEmpty();
            throw new BackendRefusal(BackendRefusal.Reason.BAD_REQUEST, engine.get() + (portless ? "; " + backend
                    + " has no port, which means the service's port, " + key.port() + ": give "
                    + (key.address() instanceof java.net.Inet6Address ? "[ADDR]:PORT" : "ADDR:PORT") : ""));
        }
        Optional<RealServer> there = vs.realServers().stream().filter(rs -> rs.key().equals(key)).findFirst();
        if (there.isPresent()) {
            boolean added = runtime.isAdded(vs.name(), key);
            throw new BackendRefusal(BackendRefusal.Reason.DUPLICATE, "virtual server " + vs.name() + " has "
                    + there.get().identity() + " already (" + (added ? "added at runtime" : "in the config") + ")");
        }
        long added = vs.realServers().stream().filter(rs -> runtime.isAdded(vs.name(), rs.key())).count();
        if (added >= MAX_PER_SERVICE) {
            // Each is a health check and a slot in the table; thousands made a start take minutes.
            throw new BackendRefusal(BackendRefusal.Reason.BAD_REQUEST, "virtual server " + vs.name() + " has "
                    + MAX_PER_SERVICE + " runtime backends already, the most it takes: put them in the file");
        }
        saved(() -> runtime.add(vs.name(), key, weight));
        RealServer rs = RuntimeBackends.backend(vs, key, weight);
        log.info("backend {} {}: add by {}: a runtime backend at weight {}, checked with the service's {} check"
                + " (runtime state of this node)", vs.name(), rs.identity(), who, weight,
                vs.healthCheck().type().configName());
        return new BackendChange(vs.name(), rs.identity(), BackendAdmin.DEFAULT, BackendAdmin.DEFAULT, weight,
                RuntimeState.RUNTIME, "added");
    }

    /**
     * Forgets runtime backend {@code backend} of {@code vs} in {@code runtime}; the reconcile that
     * follows drains it as it drains a backend a reload removes. A backend of the file is refused.
     */
    static BackendChange remove(RuntimeState runtime, VirtualServer vs, String backend, Duration drainTimeout,
            String who) throws BackendRefusal {
        RealServer rs = BackendLookup.find(vs, backend);
        if (!runtime.isAdded(vs.name(), rs.key())) {
            throw new BackendRefusal(BackendRefusal.Reason.CONFIG_BACKEND, rs.identity() + " of virtual server "
                    + vs.name() + " is in the config: edit the file and reload to remove it (only backends added"
                    + " with vipkeeper backend add are removed at runtime)");
        }
        BackendAdmin before = runtime.get(vs.name(), rs.key());
        saved(() -> runtime.remove(vs.name(), rs.key()));
        log.info("backend {} {}: remove by {}: draining (weight 0) until its connections end, at most {}, then deleted",
                vs.name(), rs.identity(), who, Durations.format(drainTimeout));
        return new BackendChange(vs.name(), rs.identity(), before, BackendAdmin.DEFAULT, rs.weight(),
                RuntimeState.RUNTIME, "removed");
    }

    /** A change of the state file. */
    interface StateWrite {
        void run() throws IOException;
    }

    /** Runs {@code write}; a file that cannot be written refuses the order, and nothing changed. */
    static void saved(StateWrite write) throws BackendRefusal {
        try {
            write.run();
        } catch (IOException e) {
            throw new BackendRefusal(BackendRefusal.Reason.NOT_SAVED, "cannot write the runtime state: " + e.getMessage()
                    + "; nothing changed");
        }
    }
}
