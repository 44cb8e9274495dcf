package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.Durations;
import io.vipkeeper.appliance.dataplane.DataPlane;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open data plane, opened on demand and again after a run broke off: a kernel without the
 * engine (no IPVS, no libnftables) is retried every interval and logged once until it comes back. Used on the reconcile thread only.
 *
 * @param <K> the engine's interface
 */
final class EngineConnection<K extends DataPlane> {
    /** Under the manager's name: operators and tests know these lines as DataPlaneManager's. */
    private static final Logger log = LoggerFactory.getLogger(DataPlaneManager.class);

    private final Supplier<? extends K> opener;
    /** The engine's name in log lines ("ipvs"). */
    private final String engine;
    private K kernel;
    /** The last opening error logged; empty while the kernel is reachable. */
    private String kernelError = "";

    EngineConnection(String engine, Supplier<? extends K> opener) {
        this.engine = engine;
        this.opener = opener;
    }

    /** The open engine, opening it if needed; empty (failure counted and logged) when it cannot be opened. */
    Optional<K> open(Duration retryEvery, ReconcileCounters counters) {
        if (kernel != null) {
            return Optional.of(kernel);
        }
        try {
            kernel = opener.get();
            if (!kernelError.isEmpty()) {
                log.info("{}: kernel interface available again", engine);
            }
            kernelError = "";
            return Optional.of(kernel);
        } catch (RuntimeException | LinkageError e) {
            // LinkageError too: a native library that cannot be bound must not end the reconcile thread.
            String why = String.valueOf(e.getMessage());
            counters.runFailed("cannot open the kernel's " + (engine.equals("ipvs") ? "IPVS" : engine) + " interface: "
                    + why);
            if (!why.equals(kernelError)) {
                log.error("{}: cannot program the kernel, retrying every {}: {}", engine, Durations.format(retryEvery),
                        why);
                kernelError = why;
            }
            return Optional.empty();
        }
    }

    /** The engine if it is open. */
    Optional<K> current() {
        return Optional.ofNullable(kernel);
    }

    /** Closes the engine; the next {@link #open} opens it again. */
    void close() {
        if (kernel != null) {
            kernel.close();
            kernel = null;
        }
    }
}
