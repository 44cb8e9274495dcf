package io.vipkeeper.appliance.health;

import io.vipkeeper.appliance.ipvs.DestKey;
import java.nio.file.Path;
import java.time.Duration;

/** A HealthMonitor on one loop inside a lab namespace, with a recorder watching it. */
final class LabMonitor implements AutoCloseable {
    final HealthMonitor monitor;
    final Recorder recorder = new Recorder();
    private final Path dir;

    LabMonitor(HealthLab lab, Path dir) {
        this.dir = dir;
        this.monitor = new HealthMonitor(lab.group(1), recorder);
        recorder.watch(monitor);
    }

    /** Applies one virtual server "vs" with {@code body} (its health-check and real-servers). */
    void apply(String body) throws Exception {
        monitor.apply(HealthConfigs.ipvs(dir,
                "vipkeeper.ipvs.virtual-servers.vs { address = \"198.18.0.100\", port = 80\n" + body + "\n}\n"));
    }

    RealServerHealth health(DestKey rs) {
        return monitor.health().get("vs").get(rs);
    }

    /** Waits until {@code rs} has had {@code checks} checks. */
    RealServerHealth awaitChecks(DestKey rs, long checks, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (health(rs).checks() < checks) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(rs + " had only " + health(rs) + " after " + within);
            }
            Thread.sleep(20);
        }
        return health(rs);
    }

    @Override
    public void close() {
        monitor.close();
    }
}
