package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP checks against real backend processes in a network namespace: up, killed (SIGKILL), back,
 * hanging behind an nft rule that drops SYNs, and flapping. Down must come after exactly
 * {@code fall} failed checks and up after exactly {@code rise} good ones.
 */
class TcpHealthIT {
    private static final int INTERVAL_MS = 200;
    private static final int RISE = 2;
    private static final int FALL = 3;
    private static final String CHECK = "health-check { type = tcp, interval = 200ms, timeout = 150ms, rise = 2, fall = 3 }";
    private static HealthLab lab;
    @TempDir
    Path dir;

    @BeforeAll
    static void lab() throws Exception {
        lab = HealthLab.create();
        lab.address("198.18.1.21/32");
        lab.address("198.18.1.22/32");
        lab.address("198.18.1.23/32");
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    @Test
    void killedBackendGoesDownAfterFallChecksAndComesBackAfterRise() throws Exception {
        BackendKey rs = HealthMonitorTest.key("198.18.1.21", 8080);
        Process backend = lab.backend("http", "198.18.1.21", "8080", "200", "ok");
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            m.apply(CHECK + "\nreal-servers = [{ address = \"198.18.1.21\", port = 8080 }]");
            RealServerHealth before = m.awaitChecks(rs, 3, Duration.ofSeconds(5));
            assertTrue(before.up());
            assertEquals(0, before.failures());
            assertEquals("connected", before.lastResult());

            long killed = System.nanoTime();
            HealthLab.kill(backend);
            Recorder.Change down = m.recorder.next(5, rs, false);
            assertEquals("connection refused", down.reason());
            assertEquals(FALL, down.health().failures(), "down after exactly fall failures: " + down.health());
            double t = seconds(killed, down.nanos());
            assertTrue(t >= (FALL - 1) * INTERVAL_MS / 1000.0 - 0.05 && t < FALL * INTERVAL_MS / 1000.0 + 1.5,
                    "down " + t + "s after the kill");

            long started = System.nanoTime();
            lab.backend("http", "198.18.1.21", "8080", "200", "ok");
            long ready = System.nanoTime();
            Recorder.Change up = m.recorder.next(5, rs, true);
            long successesAtDown = down.health().checks() - down.health().failures();
            assertEquals(successesAtDown + RISE, up.health().checks() - up.health().failures(),
                    "up after exactly rise successes: " + up.health());
            double u = seconds(ready, up.nanos());
            assertTrue(u >= (RISE - 1) * INTERVAL_MS / 1000.0 - 0.05 && seconds(started, up.nanos()) < 10,
                    "up " + u + "s after the backend was ready");
            assertTrue(m.recorder.quietFor(0.5));
        }
    }

    @Test
    void droppedSynsTimeOut() throws Exception {
        BackendKey rs = HealthMonitorTest.key("198.18.1.22", 8080);
        lab.backend("http", "198.18.1.22", "8080", "200", "ok");
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            m.apply(CHECK + "\nreal-servers = [{ address = \"198.18.1.22\", port = 8080 }]");
            m.awaitChecks(rs, 2, Duration.ofSeconds(5));
            lab.nft(HealthLab.inputRule("vkdrop", "ip daddr 198.18.1.22 tcp dport 8080 tcp flags & (syn | ack) == syn drop"));
            try {
                Recorder.Change down = m.recorder.next(5, rs, false);
                assertEquals("timeout after 150ms", down.reason());
                assertEquals(FALL, down.health().failures());
                assertTrue(down.health().lastLatency().toMillis() >= 140, down.health().toString());
            } finally {
                lab.nft("delete table inet vkdrop");
            }
            assertEquals("connected", m.recorder.next(5, rs, true).reason());
        }
    }

    @Test
    void flappingBackendNeverReachesFallOrRiseInARow() throws Exception {
        BackendKey rs = HealthMonitorTest.key("198.18.1.23", 8080);
        lab.backend("http", "198.18.1.23", "8080", "200", "ok");
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            // fall 3: one or two failures in a row (a short outage) never take it down.
            m.apply(CHECK + "\nreal-servers = [{ address = \"198.18.1.23\", port = 8080 }]");
            m.awaitChecks(rs, 2, Duration.ofSeconds(5));
            String drop = HealthLab.inputRule("vkflap",
                    "ip daddr 198.18.1.23 tcp dport 8080 tcp flags & (syn | ack) == syn reject with tcp reset");
            for (int i = 0; i < 4; i++) {
                long checks = m.health(rs).checks();
                lab.nft(drop);
                m.awaitChecks(rs, checks + 1, Duration.ofSeconds(5));
                lab.nft("delete table inet vkflap");
                m.awaitChecks(rs, m.health(rs).checks() + 2, Duration.ofSeconds(5));
            }
            RealServerHealth h = m.health(rs);
            assertTrue(h.up());
            assertTrue(h.failures() >= 4, h.toString());
            assertTrue(m.recorder.all().isEmpty(), m.recorder.all().toString());
        }
    }

    @Test
    void startsDownWhenAskedAndRisesAfterRise() throws Exception {
        BackendKey rs = HealthMonitorTest.key("198.18.1.21", 9090);
        lab.backend("http", "198.18.1.21", "9090", "200", "ok");
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            long applied = System.nanoTime();
            m.apply(CHECK.replace("fall = 3", "fall = 3, initial-state = down")
                    + "\nreal-servers = [{ address = \"198.18.1.21\", port = 9090 }]");
            assertFalse(m.health(rs).up());
            Recorder.Change up = m.recorder.next(5, rs, true);
            assertEquals(RISE, up.health().checks());
            assertTrue(seconds(applied, up.nanos()) < 2 * INTERVAL_MS / 1000.0 + 1);
        }
    }
}
