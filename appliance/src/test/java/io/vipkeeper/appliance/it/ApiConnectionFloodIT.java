package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.ConnectionFlood;
import io.vipkeeper.appliance.api.PrometheusText;
import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A flood of connections to the status API of `vipkeeper run` (the jar as a process, in a lab
 * namespace, clients from 127.0.0.N inside it) under a descriptor limit of 256, as issue 15 saw
 * with 20,000 connections against the unit's limit: connections over the caps are reset, the
 * daemon's descriptors stay within its baseline plus max-connections, a fresh client still gets
 * /status, the track script keeps running so the priority never drops, idle connections are closed,
 * and the refusals are counted and logged once. Without the caps the descriptors run out and the
 * script cannot fork.
 */
class ApiConnectionFloodIT extends InLab {
    private static final InetSocketAddress API = new InetSocketAddress("127.0.0.1", 9180);
    private static final int NOFILE = 256;
    private static final int MAX = 24;
    private static final int PER_CLIENT = 8;
    /** Descriptors the daemon may open besides the API's (a script run's pipes, a log roll). */
    private static final int SLACK = 16;

    private JarProcess daemon;
    private long maxFds;

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    @Test
    void floodIsCappedWhileTheTrackScriptKeepsThePriority() throws Exception {
        Path runs = dir.resolve("runs");
        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, """
                vipkeeper {
                  node-name = lb1
                  api { listen = "127.0.0.1:9180", max-connections = %d, max-connections-per-client = %d, idle-timeout = 5s }
                  vrrp {
                    scripts.alive { command = ["/bin/sh", "-c", "echo run >> %s"], interval = 300ms, timeout = 300ms, weight = -50, fall = 3 }
                    instances.vi_1 {
                      interface = eth0
                      virtual-router-id = 51
                      priority = 150
                      advert-interval = 100ms
                      virtual-ips = ["198.18.1.100/24"]
                      track-scripts = [alive]
                    }
                  }
                }
                """.formatted(MAX, PER_CLIENT, runs));
        long start = System.nanoTime();
        daemon = lab.own(JarProcess.startInVia(lab.ns("lb1"), List.of("prlimit", "--nofile=" + NOFILE + ":" + NOFILE),
                dir, "run", "-f", conf.toString()));
        daemon.awaitLog("vi_1: BACKUP -> MASTER");
        daemon.awaitLog("status API on");
        awaitRuns(runs, 2);
        long baseline = fds();
        long bound = baseline + MAX + SLACK;
        System.out.println("daemon descriptors: " + baseline + " at rest, bound " + bound);
        assertTrue(threadNames().stream().anyMatch(n -> n.startsWith("api-")),
                "the API has a loop of its own: " + threadNames());

        // One client far over the per-client cap, and over the process's whole descriptor limit.
        try (ConnectionFlood one = ConnectionFlood.open(lab.ns("lb1"), API, List.of("127.0.0.2"), 300)) {
            awaitBounded(bound, "all but " + PER_CLIENT + " of 300 reset", () -> one.closedByServer() == 300 - PER_CLIENT);
            StatusSnapshot s = StatusJson.read(get("127.0.0.3", "/status").body());
            assertEquals("MASTER", s.vrrpInstances().get(0).state());
            assertEquals(150, s.vrrpInstances().get(0).effectivePriority());
            awaitRuns(runs, lines(runs) + 3);
        }
        awaitBounded(bound, "per-client flood released", () -> open() == 0);

        // Ten clients: three fill the total cap, the other seven are reset whole, and so is a newcomer.
        List<String> sources = IntStream.range(10, 20).mapToObj(i -> "127.0.0." + i).toList();
        try (ConnectionFlood many = ConnectionFlood.open(lab.ns("lb1"), API, sources, 30)) {
            awaitBounded(bound, "all but " + MAX + " of 300 reset", () -> many.closedByServer() == 300 - MAX);
            assertThrows(IOException.class, () -> get("127.0.0.30", "/status"), "a newcomer is reset while full");
            int runsBefore = lines(runs);
            awaitBounded(bound, "the held connections closed by the 5 s idle timeout", () -> many.closedByServer() == 300);
            assertTrue(lines(runs) > runsBefore, "the track script ran meanwhile");
        }

        StatusSnapshot s = StatusJson.read(get("127.0.0.30", "/status").body());
        assertEquals("MASTER", s.vrrpInstances().get(0).state());
        assertEquals(150, s.vrrpInstances().get(0).effectivePriority());
        PrometheusText m = PrometheusText.parse(get("127.0.0.30", "/metrics").body());
        // The total cap is checked first: 127.0.0.12's last 22 count against it, as do the newcomer's.
        assertEquals(300 - PER_CLIENT + 2 * (30 - PER_CLIENT), m.value("vipkeeper_api_refused_connections_total", "cap", "per-client"));
        assertEquals(30 - PER_CLIENT + 7 * 30 + 1, m.value("vipkeeper_api_refused_connections_total", "cap", "total"));
        assertEquals(1, m.value("vipkeeper_api_connections"), "the scrape itself");

        String log = daemon.err();
        assertFalse(log.contains("track script alive is down"), log);
        assertFalse(log.contains("effective priority"), log);
        long refusalLines = log.lines().filter(l -> l.contains("status API: refused")).count();
        long minutes = TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - start);
        assertTrue(refusalLines >= 1 && refusalLines <= 1 + minutes, "at most one line a minute:\n" + log);
        System.out.println("daemon descriptors: at most " + maxFds + " during the floods (bound " + bound + ")");
        assertTrue(daemon.isAlive());
    }

    /** Waits for {@code done} while sampling the daemon's descriptors; fails as soon as they pass {@code bound}. */
    private void awaitBounded(long bound, String what, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long n = fds();
            maxFds = Math.max(maxFds, n);
            assertTrue(n <= bound, "the daemon holds " + n + " descriptors, over its baseline + max-connections + "
                    + SLACK + " = " + bound + " (limit " + NOFILE + "), while waiting for: " + what);
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what + "; stderr:\n" + daemon.err());
            }
            Thread.sleep(20);
        }
    }

    private ConnectionFlood.Answer get(String source, String path) throws Exception {
        ConnectionFlood.Answer a = ConnectionFlood.get(lab.ns("lb1"), source, API, path);
        assertEquals(200, a.status(), a.body());
        return a;
    }

    /** The API's open connections by its own gauge, read from a client of its own. */
    private int open() {
        try {
            return (int) PrometheusText.parse(get("127.0.0.31", "/metrics").body()).value("vipkeeper_api_connections") - 1;
        } catch (Exception e) {
            return -1;
        }
    }

    private long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(daemon.pid()), "fd"))) {
            return s.count();
        }
    }

    private List<String> threadNames() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(daemon.pid()), "task"))) {
            return s.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int lines(Path runs) throws IOException {
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    private void awaitRuns(Path runs, int atLeast) throws Exception {
        Lab.await(20, "the track script has run " + atLeast + " times", () -> {
            try {
                return lines(runs) >= atLeast;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
