package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The signals a keepalived operator sends out of habit, with {@code kill -s NAME}, to a running
 * {@code vipkeeper run} in a lab namespace: none ends it without a handover. USR1 and USR2 write
 * keepalived's data and stats dumps in the run directory; a SIGHUP during shutdown is not a reload.
 */
class SignalsIT extends InLab {
    private static final String VIP = "198.18.1.100";
    private static final String CONF = "vipkeeper {\n  node-name = lb1\n  api.listen = \"\"\n  vrrp.instances.web {\n    interface = eth0\n"
            + "    virtual-router-id = 51\n    priority = PRIO\n    advert-interval = 100ms\n"
            + "    virtual-ips = [\"" + VIP + "/24\"]\nNOTIFY  }\n}\n";

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    private Path config(int priority, String notify) throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, CONF.replace("PRIO", Integer.toString(priority)).replace("NOTIFY", notify));
        return f;
    }

    @Test
    void keepalivedSignalsNeverEndTheDaemon() throws Exception {
        Path f = config(150, "");
        Path run = dir.resolve("run");
        Path pid = run.resolve("vipkeeper.pid");
        try (JarProcess p = lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                pid.toString()))) {
            p.awaitLog("web: BACKUP -> MASTER");
            Lab.await(10, "the VIP on lb1", () -> has(VIP));

            config(120, "");
            p.signal("HUP");
            p.awaitLog("reload succeeded");

            p.signal("USR1");
            p.awaitLog("wrote the data dump to " + run.resolve("vipkeeper.data"));
            String data = Files.readString(run.resolve("vipkeeper.data"));
            assertTrue(data.startsWith("vipkeeper data dump of lb1, pid " + p.pid() + ", at "), data);
            assertTrue(data.contains("\nrunning config: 1 VRRP instance, 0 virtual servers, 0 real servers\n"), data);
            assertTrue(data.contains("\nconfig " + f + ", loaded "), data);
            assertTrue(data.matches("(?s).*\nweb +MASTER +eth0 +51 +120 +198\\.18\\.1\\.1 .*"), data);
            assertTrue(data.contains("\n  virtual IPs  " + VIP + "/24\n"), data);
            assertTrue(data.contains("reloads: 1 ok, 0 failed"), data);

            p.signal("USR2");
            p.awaitLog("wrote the stats dump to " + run.resolve("vipkeeper.stats"));
            String stats = Files.readString(run.resolve("vipkeeper.stats"));
            assertTrue(stats.startsWith("vipkeeper stats dump of lb1, pid " + p.pid() + ", at "), stats);
            assertTrue(stats.contains("\nreloads: 1 ok, 0 failed\n"), stats);
            assertTrue(stats.contains("\nvrrp instance web (eth0, VRID 51): MASTER, priority 120\n"), stats);
            assertTrue(stats.contains("\n  transitions: 2\n"), stats);
            assertTrue(stats.matches("(?s).*\n  adverts sent: [1-9][0-9]*\n.*"), stats);
            assertTrue(stats.contains("\n  adverts received: 0\n"), stats);
            assertTrue(stats.contains("\n  dropped ttl: 0\n") && stats.contains("\n  dropped authentication: 0\n"), stats);
            try (Stream<Path> files = Files.list(run)) {
                assertEquals(List.of("control.sock", "vipkeeper.data", "vipkeeper.pid", "vipkeeper.reload", "vipkeeper.stats"),
                        files.map(x -> x.getFileName().toString()).sorted().toList(), "no temporary file left behind");
            }

            // The JVM keeps SIGQUIT for its thread dump on stdout, which is harmless.
            p.signal("QUIT");
            p.awaitOut("Full thread dump");
            for (String name : List.of("PIPE", "ALRM", "WINCH", "CONT")) {
                p.signal(name);
                Thread.sleep(300);
                assertTrue(p.isAlive(), () -> "SIG" + name + " ended the daemon; stderr:\n" + p.log());
            }
            p.awaitLog("SIGALRM ignored");

            // Still working: the VIP never moved, and a second dump answers.
            assertTrue(has(VIP));
            assertFalse(p.err().contains("MASTER ->"), p.err());
            p.signal("USR1");
            Lab.await(30, "a second data dump", () -> p.log().split("wrote the data dump", -1).length == 3);
            // The harness moved HotSpot's suspend/resume signal off SIGUSR2 as the unit does.
            assertFalse(p.err().contains("_JAVA_SR_SIGNUM"), p.err());

            p.signal("INT");
            assertEquals(0, p.waitFor(), p.err());
            assertTrue(p.err().contains("web: MASTER -> INITIALIZE"), p.err());
            assertFalse(has(VIP));
            assertFalse(Files.exists(pid), "the pid file goes with the daemon");
        }
    }

    @Test
    void signalsWhileItStartsEndNothing() throws Exception {
        // Found by review: a SIGHUP or SIGUSR1 0.3-0.8 s after the start killed the daemon with no
        // log line (the JVM starting, the config being read, before the handlers were installed).
        Path f = config(150, "");
        Path pid = dir.resolve("run/vipkeeper.pid");
        try (JarProcess p = lab.own(JarProcess.startLauncherIn(lab.ns("lb1"), dir, "run", "-f", f.toString(),
                "--pid-file", pid.toString()))) {
            Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
            // From the moment the launcher has exec'd java (before that the test would hit ip or env)
            Lab.await(30, "the launcher to exec java", () -> {
                try {
                    return Files.readString(cmdline).split("\0")[0].endsWith("/java");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            int sent = 0;
            long end = System.nanoTime() + 90_000_000_000L;
            while (!p.log().contains("web: BACKUP -> MASTER") && p.isAlive() && System.nanoTime() < end) {
                for (String name : List.of("HUP", "USR1", "USR2", "ALRM")) {
                    p.signal(name);
                    sent++;
                }
                Thread.sleep(25);
            }
            assertTrue(p.isAlive(), "the daemon died after " + sent + " signals while starting:\n" + p.log());
            p.awaitLog("web: BACKUP -> MASTER");
            assertTrue(p.log().contains("SIGHUP while starting: reloading once started"), p.log());
            assertFalse(p.log().contains("was ignored by whoever started"), p.log());
            p.signal("TERM");
            assertEquals(0, p.waitFor());
        }
    }

    @Test
    void aSighupDuringShutdownIsNotAReload() throws Exception {
        // The notify script holds the shutdown up for 3 s after the instance stops.
        Path stopping = dir.resolve("stopping");
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$3\" = STOP ] || exit 0\ntouch " + stopping + "\nsleep 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path f = config(150, "    notify-script = \"" + script + "\"\n");
        try (JarProcess p = lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString()))) {
            p.awaitLog("web: INITIALIZE -> BACKUP");
            config(120, "    notify-script = \"" + script + "\"\n");
            p.signal("TERM");
            Lab.await(30, "the notify script for STOP", () -> Files.exists(stopping));
            p.signal("HUP");
            assertEquals(0, p.waitFor(), p.err());
            assertTrue(p.err().contains("SIGHUP ignored: vipkeeper is stopping"), p.err());
            assertFalse(p.err().contains("reloading"), p.err());
        }
    }

    private boolean has(String ip) {
        try {
            return lab.has("lb1", ip);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
