package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vipkeeper.appliance.dataplane.BackendKey;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's life cycle with script checks (real processes, no network): initial states,
 * rise/fall through the listener, and what a reload keeps, restarts and stops.
 */
class HealthMonitorTest {
    @TempDir
    Path dir;
    private EventLoopGroup group;
    private Recorder recorder;
    private HealthMonitor monitor;
    private static final BackendKey RS1 = key("198.18.0.13", 80);
    private static final BackendKey RS2 = key("198.18.0.14", 80);

    static BackendKey key(String address, int port) {
        try {
            return new BackendKey(InetAddress.getByName(address), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        recorder = new Recorder();
        monitor = new HealthMonitor(group, recorder);
    }

    @AfterEach
    void stop() {
        monitor.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * A script check whose exit code is the content of {@code file} (absent: 0). The timeout is
     * generous: a shell and a cat under a loaded CI host can take longer than 100 ms to start,
     * and these tests are about rise and fall, not speed.
     */
    private String config(Path file, String extra, String... realServers) {
        return "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80\n"
                + "  health-check { type = script, interval = 300ms, timeout = 300ms, rise = 2, fall = 3, " + extra
                + "\n    script.command = [\"/bin/sh\", \"-c\", \"exit $(cat " + file + " 2>/dev/null || echo 0)\"] }\n"
                + "  real-servers = [" + String.join(", ", realServers) + "] }\n";
    }

    private static void exitCode(Path file, int code) throws Exception {
        Files.writeString(file, Integer.toString(code));
    }

    @Test
    void initialStatesAndNoListenerCallForThem() throws Exception {
        exitCode(dir.resolve("rc"), 1);
        monitor.apply(HealthConfigs.ipvs(dir, config(dir.resolve("rc"), "",
                "{ address = \"198.18.0.13\" }",
                "{ address = \"198.18.0.14\", health-check.initial-state = down }",
                "{ address = \"198.18.0.15\", health-check.type = none }")));
        Map<BackendKey, RealServerHealth> h = monitor.health().get("web");
        assertEquals(List.of(RS1, RS2, key("198.18.0.15", 80)), List.copyOf(h.keySet()));
        assertTrue(h.get(RS1).up());
        assertFalse(h.get(RS2).up());
        assertTrue(h.get(key("198.18.0.15", 80)).up());
        assertEquals("not checked", h.get(key("198.18.0.15", 80)).lastResult());
        Recorder.Change down = recorder.next(15, RS1, false);
        assertEquals("exit 1", down.reason());
        RealServerHealth rs1 = monitor.health().get("web").get(RS1);
        assertEquals(3, rs1.failures());
        assertEquals(3, rs1.checks());
        assertTrue(recorder.quietFor(0.5), "the server that started down and stays down is not reported");
        assertEquals(0, monitor.health().get("web").get(key("198.18.0.15", 80)).checks());
    }

    @Test
    void fallThenRise() throws Exception {
        Path rc = dir.resolve("rc");
        monitor.apply(HealthConfigs.ipvs(dir, config(rc, "", "{ address = \"198.18.0.13\" }")));
        assertTrue(recorder.quietFor(0.6));
        exitCode(rc, 3);
        assertEquals("exit 3", recorder.next(15, RS1, false).reason());
        exitCode(rc, 0);
        assertEquals("exit 0", recorder.next(15, RS1, true).reason());
        RealServerHealth h = monitor.health().get("web").get(RS1);
        assertTrue(h.up());
        assertEquals("exit 0", h.lastResult());
        assertTrue(h.lastLatency().compareTo(java.time.Duration.ofMillis(300)) <= 0, "within its timeout: " + h);
    }

    @Test
    void scriptTimeoutFails() throws Exception {
        monitor.apply(HealthConfigs.ipvs(dir, "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80\n"
                + "  health-check { type = script, interval = 200ms, timeout = 50ms, fall = 1,\n"
                + "    script.command = [\"/bin/sleep\", \"5\"] }\n"
                + "  real-servers = [{ address = \"198.18.0.13\" }] }\n"));
        assertEquals("timeout after 50ms", recorder.next(15, RS1, false).reason());
    }

    @Test
    void reloadKeepsUnchangedRestartsChangedStopsRemoved() throws Exception {
        Path rc = dir.resolve("rc");
        exitCode(rc, 1);
        String rs2 = "{ address = \"198.18.0.14\" }";
        monitor.apply(HealthConfigs.ipvs(dir, config(rc, "", "{ address = \"198.18.0.13\" }", rs2)));
        recorder.next(15);
        recorder.next(15);
        Thread.sleep(300);
        long before = monitor.health().get("web").get(RS1).checks();
        // RS1's check changes (fall 3 -> 4): it stays down with fresh counters. RS2 is removed, RS3 is new.
        monitor.apply(HealthConfigs.ipvs(dir, config(rc, "",
                "{ address = \"198.18.0.13\", health-check.fall = 4 }", "{ address = \"198.18.0.16\" }")));
        Map<BackendKey, RealServerHealth> h = monitor.health().get("web");
        assertNull(h.get(RS2));
        assertFalse(h.get(RS1).up());
        assertTrue(h.get(key("198.18.0.16", 80)).up());
        Recorder.Change c = recorder.next(15);
        assertEquals(key("198.18.0.16", 80), c.realServer());
        assertFalse(c.up());
        RealServerHealth rs1 = monitor.health().get("web").get(RS1);
        assertFalse(rs1.up());
        assertTrue(rs1.checks() < before + 3, "fresh counters: " + rs1 + " before " + before);
        // Unchanged settings: the same check goes on, counters keep counting.
        long now = monitor.health().get("web").get(RS1).checks();
        monitor.apply(HealthConfigs.ipvs(dir, config(rc, "",
                "{ address = \"198.18.0.13\", health-check.fall = 4 }", "{ address = \"198.18.0.16\" }")));
        assertTrue(monitor.health().get("web").get(RS1).checks() >= now);
        assertTrue(recorder.quietFor(0.5));
        exitCode(rc, 0);
        recorder.next(15);
        recorder.next(15);
        assertTrue(recorder.all().stream().noneMatch(x -> x.realServer().equals(RS2) && x.up()));
    }

    @Test
    void downServerMovedToTypeNoneComesUp() throws Exception {
        Path rc = dir.resolve("rc");
        exitCode(rc, 1);
        monitor.apply(HealthConfigs.ipvs(dir, config(rc, "", "{ address = \"198.18.0.13\" }")));
        recorder.next(15, RS1, false);
        monitor.apply(HealthConfigs.ipvs(dir, config(rc, "", "{ address = \"198.18.0.13\", health-check.type = none }")));
        assertEquals("not checked (type none)", recorder.next(15, RS1, true).reason());
        assertTrue(monitor.health().get("web").get(RS1).up());
    }

    @Test
    void removedVirtualServerDisappears() throws Exception {
        monitor.apply(HealthConfigs.ipvs(dir, config(dir.resolve("rc"), "", "{ address = \"198.18.0.13\" }")));
        monitor.apply(HealthConfigs.ipvs(dir, "vipkeeper.ipvs.virtual-servers {}\nvipkeeper.allow-empty = true\n"));
        assertEquals(Map.of(), monitor.health());
    }

    @Test
    void listenerIsCalledWithoutTheLockApplyTakes() throws Exception {
        Path rc = dir.resolve("rc");
        exitCode(rc, 1);
        java.util.concurrent.CountDownLatch inListener = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        monitor.close();
        monitor = new HealthMonitor(group, (vs, rs, up, reason) -> {
            inListener.countDown();
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var settings = HealthConfigs.ipvs(dir, config(rc, "", "{ address = \"198.18.0.13\" }"));
        monitor.apply(settings);
        assertTrue(inListener.await(5, java.util.concurrent.TimeUnit.SECONDS));
        // The listener blocks on a loop thread; apply and health must still go through.
        var applied = java.util.concurrent.CompletableFuture.runAsync(() -> {
            monitor.apply(settings);
            monitor.health();
        });
        try {
            applied.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
    }

    @Test
    void concurrentReloadsEndWithTheLastSettings() throws Exception {
        Path rc = dir.resolve("rc");
        var a = HealthConfigs.ipvs(dir, config(rc, "", "{ address = \"198.18.0.13\" }", "{ address = \"198.18.0.14\" }"));
        var b = HealthConfigs.ipvs(dir, config(rc, "", "{ address = \"198.18.0.14\", health-check.fall = 5 }",
                "{ address = \"198.18.0.15\" }"));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                var s = i % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> monitor.apply(s)));
            }
            for (var f : futures) {
                f.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        monitor.apply(b);
        assertEquals(List.of(RS2, key("198.18.0.15", 80)), List.copyOf(monitor.health().get("web").keySet()));
        // Every check of the other settings stopped: only two servers are checked from here on.
        // Checks go on (waited for: a loaded host may take more than a check interval to run one).
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (monitor.health().get("web").values().stream().mapToLong(RealServerHealth::checks).sum() == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long checks = monitor.health().get("web").values().stream().mapToLong(RealServerHealth::checks).sum();
        assertTrue(checks > 0, "no check ran within 15 s");
        assertTrue(recorder.quietFor(0.3), recorder.all().toString());
    }
}
