package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `vipkeeper run` as a process: refuses a bad file, survives a bad reload, applies a good one, stops
 * on SIGTERM; of daemons started at once on one pid file exactly one runs, and `vipkeeper reload`
 * signals only a daemon that holds its pid file, never what a stale file names. The daemon runs in
 * a lab namespace: it opens VRRP sockets on eth0, which must never be the host's.
 */
class DaemonLifecycleIT extends InLab {
    /** Rounds of three starts at once: without the lock two of the three ran in about one round of four here. */
    private static final int ROUNDS = 8;
    static final String GOOD = "vipkeeper {\n  api.listen = \"\"\n  vrrp.instances.web {\n    interface = eth0\n"
            + "    virtual-router-id = 51\n    priority = PRIO\n    virtual-ips = [\"198.18.1.100/24\"]\n  }\n}\n";

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    @Test
    void refusesToStartOnABadFile() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "vipkeeper.vrrp.instances.web.priority = 0\n");
        try (JarProcess p = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString())) {
            assertEquals(1, p.waitFor());
            assertTrue(p.err().contains(f + ":1: vipkeeper.vrrp.instances.web.priority: 0 is out of range 1..255"), p.err());
            assertTrue(p.err().contains("not starting"), p.err());
        }
        Files.writeString(f, "");
        try (JarProcess p = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString())) {
            assertEquals(1, p.waitFor());
            assertTrue(p.err().contains(f + ":1: nothing to do: "), p.err());
        }
    }

    @Test
    void reloadsOnSighupKeepsRunningOnABadFileAndStopsOnSigterm() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, GOOD.replace("PRIO", "150"));
        // Started under nohup (SIGHUP ignored, which the JVM would keep): reloads must work anyway.
        try (JarProcess p = JarProcess.startInVia(lab.ns("lb1"), List.of("nohup"), dir, "run", "-f", f.toString())) {
            p.awaitLog("web: INITIALIZE -> BACKUP");
            assertTrue(p.err().contains("SIGHUP was ignored by whoever started vipkeeper (nohup?); handling it anyway"),
                    p.err());

            Files.writeString(f, GOOD.replace("PRIO", "150").replace("interface = eth0", "interfce = eth0"));
            p.signal("HUP");
            p.awaitLog("reload failed");
            assertTrue(p.err().contains(f + ":4: vipkeeper.vrrp.instances.web.interfce: unknown key (did you mean interface?)"),
                    p.err());
            assertTrue(p.isAlive(), "a bad reload must not take the daemon down");

            Files.writeString(f, GOOD.replace("PRIO", "120"));
            p.signal("HUP");
            p.awaitLog("reload succeeded: web: priority 150 -> 120 (VRRP: web retuned)");
            assertTrue(p.err().contains("vrrp reload: 0 unchanged, 1 retuned, 0 carried over, 0 restarted"), p.err());
            assertTrue(p.err().contains("web: effective priority 150 -> 120"), p.err());

            p.signal("TERM");
            assertEquals(0, p.waitFor());
            assertTrue(p.err().contains("stopped"), p.err());
        }
    }

    @Test
    void tellsSystemdWhenReadyReloadingAndStopping() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, GOOD.replace("PRIO", "150"));
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock"));
                JarProcess p = JarProcess.startInVia(lab.ns("lb1"), List.of("env", "NOTIFY_SOCKET=" + systemd.path()),
                        dir, "run", "-f", f.toString())) {
            assertEquals("READY=1\nSTATUS=running 1 VRRP instance, 0 virtual servers, 0 real servers", systemd.next(60),
                    () -> "no READY=1; stderr:\n" + p.log());
            assertTrue(p.err().contains("web: INITIALIZE -> BACKUP"), p.err());
            Files.writeString(f, GOOD.replace("PRIO", "120"));
            p.signal("HUP");
            assertEquals("RELOADING=1", systemd.next(30));
            assertEquals("READY=1", systemd.next(30));
            assertTrue(p.err().contains("reload succeeded"), p.err());
            p.signal("TERM");
            assertEquals("STOPPING=1", systemd.next(30));
            assertEquals(0, p.waitFor());
        }
    }

        @Test
    void reloadCommandReportsTheDaemonsVerdict() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, GOOD.replace("PRIO", "150"));
        Path pid = dir.resolve("run/vipkeeper.pid");
        try (JarProcess p = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                pid.toString())) {
            p.awaitLog("web: INITIALIZE -> BACKUP");
            Files.writeString(f, GOOD.replace("PRIO", "150").replace("priority = 150", "priority = 150\n    preempt = maybe"));
            try (JarProcess bad = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
                assertEquals(1, bad.waitFor(), bad.err());
                assertTrue(bad.err().contains(f + ":7: vipkeeper.vrrp.instances.web.preempt: expected true or false, got \"maybe\""),
                        bad.err());
                assertTrue(bad.err().contains("reload failed: " + f + " has 1 problem(s); still running the previous config"),
                        bad.err());
            }
            assertTrue(p.isAlive());
            Files.writeString(f, GOOD.replace("PRIO", "110"));
            try (JarProcess good = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
                assertEquals(0, good.waitFor(), good.err());
                assertTrue(good.out().contains("reloaded: web: priority 150 -> 110 (VRRP: web retuned)"), good.out());
            }
            assertTrue(p.err().contains("web: effective priority 150 -> 110"), p.err());
            p.signal("TERM");
            assertEquals(0, p.waitFor());
        }
        try (JarProcess none = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
            assertEquals(1, none.waitFor());
            assertTrue(none.err().contains("no running daemon"), none.err());
        }
    }

    @Test
    void refusesAReloadThatWouldRunNothingAndKeepsItsConfig() throws Exception {
        // With a VRRPv2 password, world-readable: run warns (and runs).
        Path f = dir.resolve("vipkeeper.conf");
        String good = GOOD.replace("PRIO", "150").replace("api.listen = \"\"", "api.listen = \"198.18.1.1:9180\"")
                .replace("    priority = 150\n", "    priority = 150\n    version = 2\n"
                        + "    authentication { type = pass, password = s3cret }\n");
        Files.writeString(f, good);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path pid = dir.resolve("run/vipkeeper.pid");
        try (JarProcess p = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                pid.toString())) {
            p.awaitLog("status API on http://198.18.1.1:9180/");
            assertTrue(p.err().contains("warning: " + f + " is readable by other users and holds secrets"
                    + " (vipkeeper.vrrp.instances.web.authentication.password); chmod 640 " + f), p.err());
            StatusSnapshot before = status();
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))),
                    before.configDigest());

            // Truncated by a writer that has not written yet, then a backend's file copied over it.
            Files.writeString(f, "");
            assertEquals(f + ":1: nothing to do: no VRRP instance, virtual server or real-server VIP is configured"
                    + " (an empty or half-written file?); a file meant to configure nothing says"
                    + " vipkeeper.allow-empty = true", refusedReload(pid));
            String backend = "vipkeeper.real-server.vips = [\"198.18.1.100\"]\n";
            Files.writeString(f, backend);
            assertEquals(f + ":1: would remove everything this daemon runs (VRRP instances web) and run nothing"
                    + " (a half-written or wrong file?); a file meant to do that says vipkeeper.allow-empty = true",
                    refusedReload(pid));

            assertTrue(p.isAlive());
            StatusSnapshot after = status();
            assertEquals(before.configDigest(), after.configDigest());
            assertEquals(before.loadedAt(), after.loadedAt());
            assertEquals(List.of("web"), after.vrrpInstances().stream().map(StatusSnapshot.Instance::name).toList());
            assertEquals(2, after.reloads().failed());
            assertEquals(0, after.reloads().ok());

            // Said in the file, it is done: the instance goes (and with it the API, now at its default).
            Files.writeString(f, backend + "vipkeeper.allow-empty = true\n");
            try (JarProcess ok = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
                assertEquals(0, ok.waitFor(), ok.err());
                assertTrue(ok.out().contains("reloaded: vrrp instance web removed; "), ok.out());
            }
            p.signal("TERM");
            assertEquals(0, p.waitFor());
        }
    }

    /** `vipkeeper reload` that the daemon refuses: its one problem line. */
    private String refusedReload(Path pid) throws Exception {
        try (JarProcess r = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
            assertEquals(1, r.waitFor(), r.err());
            assertTrue(r.err().contains("still running the previous config"), r.err());
            return r.err().lines().filter(l -> l.contains(":1: ")).findFirst().orElse(r.err());
        }
    }

    /** GET /status from lb1's API, with curl inside its namespace. */
    private StatusSnapshot status() throws Exception {
        return StatusJson.read(Lab.sh("ip", "netns", "exec", lab.ns("lb1"), "curl", "-sS", "--fail", "--max-time", "5",
                "http://198.18.1.1:9180/status"));
    }

    @Test
    void aSecondDaemonOnTheSamePidFileRefusesToStart() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, GOOD.replace("PRIO", "150"));
        Path pid = dir.resolve("run/vipkeeper.pid");
        try (JarProcess first = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                pid.toString())) {
            first.awaitLog("web: INITIALIZE -> BACKUP");
            assertEquals(Long.toString(first.pid()), Files.readString(pid).strip());
            try (JarProcess second = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                    pid.toString())) {
                assertEquals(1, second.waitFor());
                assertTrue(second.err().contains("another vipkeeper runs as pid " + first.pid()), second.err());
            }
            // The refused second daemon left the first's control socket alone: it still answers.
            try (JarProcess status = JarProcess.start(dir, "status", "--json", "--pid-file", pid.toString())) {
                assertEquals(0, status.waitFor(), status.err());
                assertTrue(StatusJson.read(status.out()).vrrpInstances().stream().anyMatch(i -> i.name().equals("web")), status.out());
            }
            first.signal("TERM");
            assertEquals(0, first.waitFor());
        }
        assertTrue(!Files.exists(pid), "the pid file goes with the daemon");
        assertTrue(!Files.exists(pid.resolveSibling("control.sock")), "the control socket goes with the daemon");
    }

    @Test
    void ofThreeSimultaneousStartsOnOnePidFileExactlyOneRuns() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, GOOD.replace("PRIO", "150"));
        for (int round = 0; round < ROUNDS; round++) {
            Path pid = dir.resolve("run" + round + "/vipkeeper.pid");
            List<JarProcess> daemons = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                daemons.add(lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                        pid.toString())));
            }
            // Every one either runs VRRP or has exited.
            Lab.await(90, "three starts settling", () -> daemons.stream().allMatch(d -> !d.isAlive()
                    || d.log().contains("web: INITIALIZE -> BACKUP")));
            List<JarProcess> running = daemons.stream().filter(JarProcess::isAlive).toList();
            StringBuilder logs = new StringBuilder();
            daemons.forEach(d -> logs.append("--- pid ").append(d.pid()).append(":\n").append(d.log()));
            assertEquals(1, running.size(), "round " + round + ": daemons running on one pid file\n" + logs);
            JarProcess winner = running.get(0);
            for (JarProcess d : daemons) {
                if (d != winner) {
                    assertEquals(1, d.waitFor());
                    assertTrue(d.err().contains("another vipkeeper runs as pid " + winner.pid() + " (" + pid + ")"),
                            d.err());
                }
            }
            assertEquals(Long.toString(winner.pid()), Files.readString(pid).strip());
            winner.signal("TERM");
            assertEquals(0, winner.waitFor(), winner.err());
        }
    }

    @Test
    void reloadRefusesAPidFileThatNamesAnotherProcess() throws Exception {
        Path pid = dir.resolve("run/vipkeeper.pid");
        Files.createDirectories(pid.getParent());
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            // A stale file: its daemon was killed, and the pid now belongs to something else.
            Files.writeString(pid, sleep.pid() + "\n");
            try (JarProcess reload = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
                assertEquals(1, reload.waitFor());
                assertTrue(reload.err().contains("vipkeeper reload: no running daemon: " + pid + " names pid "
                        + sleep.pid() + ", but no vipkeeper holds it (a stale file); not signalling"), reload.err());
            }
            // A file that something holds but that names a process other than vipkeeper.
            Process holder = new ProcessBuilder("flock", pid.toString(), "sleep", "60").start();
            try {
                Lab.await(10, "flock holding the pid file", () -> !free(pid));
                try (JarProcess reload = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
                    assertEquals(1, reload.waitFor());
                    assertTrue(reload.err().contains("vipkeeper reload: no running daemon: pid " + sleep.pid() + " of "
                            + pid + " is not vipkeeper (sleep 60); not signalling"), reload.err());
                }
            } finally {
                holder.destroyForcibly();
            }
            assertTrue(sleep.isAlive(), "vipkeeper reload signalled the unrelated process");
        } finally {
            sleep.destroyForcibly();
        }
    }

    /** Whether {@code flock -n} can take the file now (nobody holds it). */
    private static boolean free(Path file) {
        try {
            return new ProcessBuilder("flock", "-n", "-s", file.toString(), "true").start().waitFor() == 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
