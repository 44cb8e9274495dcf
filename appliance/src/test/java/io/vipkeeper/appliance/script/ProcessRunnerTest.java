package io.vipkeeper.appliance.script;

import static io.vipkeeper.appliance.script.ScriptFixtures.await;
import static io.vipkeeper.appliance.script.ScriptFixtures.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.Program;
import io.vipkeeper.appliance.config.ScriptUser;
import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.config.VrrpScript;
import io.vipkeeper.appliance.vrrp.TrackScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Programs run as real processes: refusal, user, environment, timeouts that reach detached processes. */
class ProcessRunnerTest extends RunsScripts {

    private long pid(String file) throws Exception {
        Path p = dir.resolve(file);
        await(() -> Files.exists(p) && !read(p).isEmpty());
        return Long.parseLong(read(p));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void theTimeoutKillsEveryProcessOfTheRunAlsoOnesThatDetached() throws Exception {
        // A child in the script's own session, and a double-forked one in a session of its own
        // (setsid -f forks, then the child calls setsid): the latter is no descendant of the script.
        Path s = script("hang", String.join("\n",
                "echo $$ > " + dir.resolve("script.pid"),
                "sleep 1000 &",
                "echo $! > " + dir.resolve("child.pid"),
                "setsid -f sh -c 'echo $$ > " + dir.resolve("leader.pid") + "; sleep 1000 & echo $! > "
                        + dir.resolve("detached.pid") + "; wait'",
                "wait"));
        // An earlier run that left a detached process behind and ended: not part of the next run.
        Path other = script("other", "setsid -f sh -c 'echo $$ > " + dir.resolve("other.pid") + "; exec sleep 1000' >/dev/null 2>&1");
        assertTrue(ProcessRunner.runNow(program(other, Duration.ofSeconds(5))).ok());
        long otherPid = pid("other.pid");
        try {
            ProcessRunner.Result r = new ProcessRunner(pool).run(program(s, Duration.ofSeconds(2))).get();
            assertTrue(r.timedOut(), r.toString());
            Set<Long> pids = Set.of(pid("script.pid"), pid("child.pid"), pid("leader.pid"), pid("detached.pid"));
            // Killed, and reaped (by the JDK, their parents, or the daemon as their subreaper).
            await(() -> pids.stream().noneMatch(p -> Files.exists(Path.of("/proc", Long.toString(p)))));
            assertTrue(ProcessHandle.of(otherPid).map(ProcessHandle::isAlive).orElse(false),
                    "another run's process is left alone");
        } finally {
            ProcessHandle.of(otherPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        await(() -> Subreaper.get().reap() >= 0 && !Files.exists(Path.of("/proc", Long.toString(otherPid))));
    }

    @Test
    void aShutdownThatInterruptsTheRunKillsWhatItDetachedToo() throws Exception {
        Path s = script("hang", String.join("\n",
                "setsid -f sh -c 'echo $$ > " + dir.resolve("leader.pid") + "; exec sleep 1000' >/dev/null 2>&1",
                "echo $$ > " + dir.resolve("script.pid"),
                "exec sleep 1000"));
        var run = new ProcessRunner(pool).run(program(s, Duration.ofSeconds(60)));
        Set<Long> pids = Set.of(pid("script.pid"), pid("leader.pid"));
        pool.shutdownNow();
        assertEquals("interrupted", run.get().describe());
        await(() -> pids.stream().noneMatch(p -> Files.exists(Path.of("/proc", Long.toString(p)))));
    }

    @Test
    void aScriptThatBecameUnsafeAfterTheConfigWasReadIsRefusedAndCountsAsAFailure() throws Exception {
        Path ran = dir.resolve("ran");
        Path s = script("check", "touch " + ran);
        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, "vipkeeper.vrrp.scripts.chk { command = [\"" + s + "\"], interval = 100ms,"
                + " timeout = 100ms }\nvipkeeper.allow-empty = true\n");
        Settings settings = ConfigLoader.load(conf);
        VrrpScript chk = settings.vrrp().scripts().get("chk");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxrwxrwx"));

        ProcessRunner.Result r = ProcessRunner.runNow(chk.program());
        assertFalse(r.ok());
        assertEquals("refused: " + s + " is writable by others (mode 0777)", r.describe());
        List<String> changes = Collections.synchronizedList(new ArrayList<>());
        TrackScript track = new TrackScript(chk, new ProcessRunner(pool), timer, (up, why) -> changes.add(up + " " + why));
        track.start();
        try {
            await(() -> !changes.isEmpty());
        } finally {
            track.stop();
        }
        assertEquals("false script chk failed: refused: " + s + " is writable by others (mode 0777)", changes.get(0));
        assertFalse(Files.exists(ran), "the refused script never ran");
    }

    @Test
    void aScriptRunsAsItsUser() throws Exception {
        // nobody must reach the script: the test's directory is root's 0700.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path s = script("whoami", "id -u; id -g");
        Path conf = dir.resolve("vipkeeper.conf");
        // Three programs start (setsid, setpriv, the script): a loaded CI host took over the 1 s default.
        Files.writeString(conf, "vipkeeper.script-user = nobody\nvipkeeper.vrrp.scripts.chk.command = [\"" + s + "\"]\n"
                + "vipkeeper.vrrp.scripts.chk { interval = 10s, timeout = 10s }\nvipkeeper.allow-empty = true\n");
        Program p = ConfigLoader.load(conf).vrrp().scripts().get("chk").program();
        ScriptUser nobody = p.user().orElseThrow();
        assertEquals(65534, nobody.uid());

        ProcessRunner.Result r = ProcessRunner.runNow(p);
        assertTrue(r.ok(), r.toString());
        assertEquals(nobody.uid() + "\n" + nobody.gid(), r.output());
        assertEquals("0", ProcessRunner.runNow(program(script("root", "id -u"), Duration.ofSeconds(5))).output(),
                "without a user, the daemon's own");
    }

    @Test
    void theEnvironmentIsCleanBesidesTheRun() throws Exception {
        ProcessRunner.Result r = ProcessRunner.runNow(new Program(List.of("/usr/bin/env"), Optional.empty(),
                Duration.ofSeconds(5)));
        assertTrue(r.ok(), r.toString());
        Set<String> names = r.output().lines().map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toSet());
        assertEquals(Set.of("PATH", "LANG", "VIPKEEPER_RUN"), names, r.output());
        assertTrue(r.output().lines().anyMatch("PATH=/usr/sbin:/usr/bin:/sbin:/bin"::equals), r.output());
        assertTrue(r.output().lines().anyMatch("LANG=C"::equals), r.output());
    }

    @Test
    void theProgramLeadsASessionOfItsOwn() throws Exception {
        ProcessRunner.Result r = ProcessRunner.runNow(program(script("sid", "cut -d' ' -f6 /proc/$$/stat; echo $$"),
                Duration.ofSeconds(5)));
        List<String> lines = r.output().lines().map(String::strip).toList();
        assertEquals(lines.get(1), lines.get(0), "session id = its pid");
    }
}
