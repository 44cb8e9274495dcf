package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A running daemon reloaded onto files an attacker or a slip could leave: an include that is a
 * FIFO (hung the reload under the daemon's lock, so SIGTERM never ended it) and a substitution
 * that doubles until the heap is full (killed the SIGHUP thread with no result recorded). Each
 * reload is refused and counted, and SIGTERM still ends the daemon.
 */
class ReloadHostileConfigIT extends InLab {
    /** Nine lines: an include appended is line 10. */
    private static final String GOOD = DaemonLifecycleIT.GOOD.replace("PRIO", "150");

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    @Test
    void aFifoIncludeAndASubstitutionBombAreRefusedReloadsAndSigtermStillEndsTheDaemon() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, GOOD);
        Path fifo = dir.resolve("extra.inc");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path pid = dir.resolve("run/vipkeeper.pid");
        try (JarProcess p = lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                pid.toString()))) {
            p.awaitLog("web: INITIALIZE -> BACKUP");
            try {
                Files.writeString(f, GOOD + "include \"extra.inc\"\n");
                try (JarProcess r = JarProcess.start(dir, "reload", "--pid-file", pid.toString(), "--timeout", "25")) {
                    assertEquals(1, r.waitFor(), r.err());
                    assertTrue(r.err().contains(f + ":10: cannot read: " + fifo + " is not a regular file"), r.err());
                }

                StringBuilder bomb = new StringBuilder(GOOD).append("x0 = \"ab\"\n");
                for (int i = 1; i <= 24; i++) {
                    bomb.append("x").append(i).append(" = ${x").append(i - 1).append("} ${x").append(i - 1).append("}\n");
                }
                Files.writeString(f, bomb.toString());
                try (JarProcess r = JarProcess.start(dir, "reload", "--pid-file", pid.toString(), "--timeout", "25")) {
                    assertEquals(1, r.waitFor(), r.err());
                    assertTrue(r.err().contains(f + ":1: too deeply nested or too large to resolve"), r.err());
                }
                assertTrue(p.err().contains("reload failed"), p.err());
                assertTrue(p.isAlive(), "a bad reload must not take the daemon down");
            } finally {
                // Frees a reload still waiting in open() for a writer (read and write: never blocks).
                new java.io.RandomAccessFile(fifo.toFile(), "rw").close();
            }
            p.signal("USR1");
            p.awaitLog("wrote the data dump to ");
            String data = Files.readString(pid.resolveSibling("vipkeeper.data"));
            assertTrue(data.contains("reloads: 0 ok, 2 failed"), data);

            long signalled = System.nanoTime();
            p.signal("TERM");
            assertEquals(0, p.waitFor(), p.err());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled);
            assertTrue(seconds < 15, "SIGTERM took " + seconds + " s to end the daemon");
        }
    }
}
