package io.vipkeeper.appliance.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon adopts what scripts leave behind, and reaps only what nobody else will. */
class SubreaperTest {
    @TempDir
    Path dir;

    @Test
    void aProcessAScriptLeftBehindIsAdoptedAndReapedWhenItExits() throws Exception {
        Path pidFile = dir.resolve("detached.pid");
        Path s = ScriptFixtures.script(dir, "detach", "setsid -f sh -c 'echo $$ > " + pidFile
                + "; exec sleep 0.5' >/dev/null 2>&1");
        Subreaper reaper = Subreaper.get();
        assertTrue(ProcessRunner.runNow(ScriptFixtures.program(s, Duration.ofSeconds(5))).ok());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertEquals(reaper.self(), ProcStat.of(pid).orElseThrow().ppid(), "re-parented to the daemon, not init");
        ProcStat exited;
        do {
            Thread.sleep(20);
            exited = ProcStat.of(pid).orElseThrow();
        } while (!exited.zombie() && System.nanoTime() < deadline);
        assertTrue(exited.zombie(), "a zombie until someone reaps it: " + exited);
        assertTrue(reaper.reap() >= 1);
        assertFalse(Files.exists(Path.of("/proc", Long.toString(pid))), "reaped");
    }

    @Test
    void onlyExitedChildrenInAnotherSessionThatTheJdkDidNotStartAreReaped() throws Exception {
        Subreaper reaper = Subreaper.get();
        long self = reaper.self();
        long other = reaper.session() + 1;
        assertTrue(reaper.reapable(new ProcStat(1_000_000, 'Z', self, other)));
        assertFalse(reaper.reapable(new ProcStat(1_000_000, 'S', self, other)), "still running");
        assertFalse(reaper.reapable(new ProcStat(1_000_000, 'Z', self + 1, other)), "another's child");
        assertFalse(reaper.reapable(new ProcStat(1_000_000, 'Z', self, reaper.session())),
                "in the daemon's session: maybe a program the JDK started (nft), which the JDK reaps");
        // A script the JDK started leads its own session: registered until the JDK has reaped it.
        Process p = reaper.start(new ProcessBuilder("sleep", "5"));
        try {
            assertFalse(reaper.reapable(new ProcStat(p.pid(), 'Z', self, other)), "the JDK's to reap");
        } finally {
            p.destroyForcibly().waitFor();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (reaper.startedHere(p.pid()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(reaper.startedHere(p.pid()), "forgotten once the JDK reaped it");
    }
}
