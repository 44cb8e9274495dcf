package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A HealthMonitor on one loop inside a lab namespace, with a recorder watching it. */
final class LabMonitor implements AutoCloseable {
    final HealthMonitor monitor;
    final Recorder recorder = new Recorder();
    private final Path dir;

    LabMonitor(HealthLab lab, Path dir) {
        this(lab.group(1), dir);
    }

    LabMonitor(io.netty.channel.EventLoopGroup group, Path dir) {
        this.dir = dir;
        this.monitor = new HealthMonitor(group, recorder);
        recorder.watch(monitor);
    }

    /** Applies one virtual server "vs" with {@code body} (its health-check and real-servers). */
    void apply(String body) throws Exception {
        monitor.apply(HealthConfigs.ipvs(dir,
                "vipkeeper.ipvs.virtual-servers.vs { address = \"198.18.0.100\", port = 80\n" + body + "\n}\n"));
    }

    RealServerHealth health(BackendKey rs) {
        return monitor.health().get("vs").get(rs);
    }

    /** Waits until {@code rs} has had {@code checks} checks. */
    RealServerHealth awaitChecks(BackendKey rs, long checks, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (health(rs).checks() < checks) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(rs + " had only " + health(rs) + " after " + within);
            }
            Thread.sleep(20);
        }
        return health(rs);
    }

    /**
     * Applies the real servers and lets each have two checks (the first ones load classes and may
     * time out), then returns each one's health two checks later: a server that passes had no
     * failure in between, one that fails failed every time.
     */
    Map<BackendKey, RealServerHealth> steadyState(String check, String... realServers) throws Exception {
        apply("health-check { interval = 200ms, timeout = 150ms, rise = 1, fall = 1, " + check + " }\n"
                + "real-servers = [" + String.join(",\n", realServers) + "]");
        Map<BackendKey, RealServerHealth> warm = new HashMap<>();
        for (BackendKey k : monitor.health().get("vs").keySet()) {
            warm.put(k, awaitChecks(k, 2, Duration.ofSeconds(10)));
        }
        Map<BackendKey, RealServerHealth> out = new HashMap<>();
        for (BackendKey k : warm.keySet()) {
            RealServerHealth later = awaitChecks(k, warm.get(k).checks() + 2, Duration.ofSeconds(10));
            long failed = later.failures() - warm.get(k).failures();
            long checked = later.checks() - warm.get(k).checks();
            assertTrue(failed == 0 || failed == checked, k + " passed some and failed some: " + later);
            assertEquals(later.up(), failed == 0, k + " is not in the state of its checks: " + later);
            out.put(k, later);
        }
        return out;
    }

    @Override
    public void close() {
        monitor.close();
    }
}
