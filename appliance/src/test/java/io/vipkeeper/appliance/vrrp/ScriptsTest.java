package io.vipkeeper.appliance.vrrp;

import static io.vipkeeper.appliance.script.ScriptFixtures.await;
import static io.vipkeeper.appliance.script.ScriptFixtures.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.VrrpScript;
import io.vipkeeper.appliance.script.ProcessRunner;
import io.vipkeeper.appliance.script.RunsScripts;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.Transition;
import io.vipkeeper.vrrp.fsm.TransitionReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Notify and tracking scripts as real processes. */
class ScriptsTest extends RunsScripts {
    private final ProcessRunner runner = new ProcessRunner(pool);

    private static Transition t(RouterState from, RouterState to) {
        return t(from, to, 100);
    }

    private static Transition t(RouterState from, RouterState to, int priority) {
        return new Transition("vi_1", from, to, TransitionReason.STARTUP, "", priority, 0);
    }

    @Test
    void notifyScriptsRunInOrderOneAtATimeWithKeepalivedArguments() throws Exception {
        Path log = dir.resolve("log");
        // The first run is the slowest: run concurrently (as keepalived does) the order would break.
        Path s = script("notify", "[ \"$3\" = BACKUP ] && sleep 0.5\necho \"$1 $2 $3 $4\" >> " + log);
        NotifyScripts n = new NotifyScripts(program(s, Duration.ofSeconds(5)), runner);
        n.onTransition(t(RouterState.INITIALIZE, RouterState.BACKUP));
        n.onTransition(t(RouterState.BACKUP, RouterState.MASTER));
        n.idle().get(10, TimeUnit.SECONDS);
        n.onTransition(t(RouterState.MASTER, RouterState.FAULT));
        n.onTransition(t(RouterState.FAULT, RouterState.INITIALIZE));
        n.idle().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("INSTANCE vi_1 BACKUP 100", "INSTANCE vi_1 MASTER 100", "INSTANCE vi_1 FAULT 100",
                "INSTANCE vi_1 STOP 100"), Files.readAllLines(log));
    }

    @Test
    void aHangingNotifyScriptIsKilledAndTheNextStillRuns() throws Exception {
        Path log = dir.resolve("log");
        Path s = script("notify", "[ \"$3\" = BACKUP ] && sleep 60\necho \"$3\" >> " + log);
        NotifyScripts n = new NotifyScripts(program(s, Duration.ofMillis(300)), runner);
        long start = System.nanoTime();
        n.onTransition(t(RouterState.INITIALIZE, RouterState.BACKUP));
        n.onTransition(t(RouterState.BACKUP, RouterState.MASTER));
        n.idle().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("MASTER"), Files.readAllLines(log));
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void aMissingNotifyScriptIsReportedNotThrown() throws Exception {
        NotifyScripts n = new NotifyScripts(program(dir.resolve("absent"), Duration.ofSeconds(1)), runner);
        n.onTransition(t(RouterState.INITIALIZE, RouterState.BACKUP));
        n.idle().get(10, TimeUnit.SECONDS);
        ProcessRunner.Result r = ProcessRunner.runNow(program(dir.resolve("absent"), Duration.ofSeconds(1)));
        assertTrue(r.describe().startsWith("could not run"), r.describe());
    }

    @Test
    void trackScriptFollowsRiseAndFall() throws Exception {
        Path flag = dir.resolve("ok");
        Files.writeString(flag, "");
        Path s = script("check", "test -e " + flag);
        List<Boolean> changes = Collections.synchronizedList(new ArrayList<>());
        VrrpScript cfg = new VrrpScript("chk", program(s, Duration.ofSeconds(1)), Duration.ofMillis(50), -20, 2, 3);
        TrackScript ts = new TrackScript(cfg, runner, timer, (up, why) -> changes.add(up));
        ts.start();
        Thread.sleep(400);
        assertEquals(List.of(), changes, "starts up and stays up");
        Files.delete(flag);
        await(() -> changes.size() == 1);
        assertEquals(List.of(false), changes);
        Files.writeString(flag, "");
        await(() -> changes.size() == 2);
        assertEquals(List.of(false, true), changes);
        ts.stop();
    }

    @Test
    void aNotifyScriptThatFallsBehindGetsTheLatestStateInOrder() throws Exception {
        Path log = dir.resolve("log");
        Path s = script("notify", "sleep 0.2\necho \"$3 $4\" >> " + log);
        NotifyScripts n = new NotifyScripts(program(s, Duration.ofSeconds(5)), runner);
        RouterState[] states = {RouterState.BACKUP, RouterState.MASTER, RouterState.FAULT};
        int transitions = 30;
        for (int i = 1; i <= transitions; i++) {
            n.onTransition(t(states[(i - 1) % 3], states[i % 3], i));
            Thread.sleep(20);
        }
        n.idle().get(20, TimeUnit.SECONDS);
        List<String> delivered = Files.readAllLines(log);
        assertTrue(delivered.size() < transitions / 2, "coalesced: " + delivered);
        assertEquals(NotifyScripts.stateWord(states[transitions % 3]) + " " + transitions,
                delivered.get(delivered.size() - 1), "the last delivered is the latest state");
        int last = 0;
        for (String line : delivered) {
            int priority = Integer.parseInt(line.split(" ")[1]);
            assertTrue(priority > last, "in order: " + delivered);
            last = priority;
        }
    }

    /**
     * keepalived's notify_master/backup/fault/stop run without arguments, each before the notify
     * script in one queue; with notify-priority-changes the notify script also hears a priority
     * change, with the state the instance is in, and the state programs do not.
     */
    @Test
    void stateProgramsRunBeforeTheNotifyScriptAndPriorityChangesAreTold() throws Exception {
        Path log = dir.resolve("log");
        Path generic = script("notify", "echo \"notify $3 $4\" >> " + log);
        java.util.Map<String, Path> per = new java.util.LinkedHashMap<>();
        for (String state : List.of("master", "backup", "fault", "stop")) {
            per.put(state, script(state, "echo \"" + state + " $#\" >> " + log));
        }
        java.util.function.Function<String, java.util.Optional<io.vipkeeper.appliance.config.Program>> p = state ->
                java.util.Optional.of(program(per.get(state), Duration.ofSeconds(5)));
        NotifyScripts n = new NotifyScripts(java.util.Optional.of(program(generic, Duration.ofSeconds(5))),
                new io.vipkeeper.appliance.config.VrrpInstance.Notifies(p.apply("master"), p.apply("backup"),
                        p.apply("fault"), p.apply("stop"), true), runner);
        n.onTransition(t(RouterState.INITIALIZE, RouterState.BACKUP));
        n.idle().get(10, TimeUnit.SECONDS);
        n.onTransition(t(RouterState.BACKUP, RouterState.MASTER));
        n.idle().get(10, TimeUnit.SECONDS);
        n.onPriority("vi_1", RouterState.MASTER, 80);
        n.idle().get(10, TimeUnit.SECONDS);
        n.onTransition(t(RouterState.MASTER, RouterState.FAULT));
        n.idle().get(10, TimeUnit.SECONDS);
        n.onTransition(t(RouterState.FAULT, RouterState.INITIALIZE));
        n.idle().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("backup 0", "notify BACKUP 100", "master 0", "notify MASTER 100", "notify MASTER 80",
                "fault 0", "notify FAULT 100", "stop 0", "notify STOP 100"), Files.readAllLines(log));
    }

    @Test
    void withoutNotifyPriorityChangesAPriorityChangeRunsNothing() throws Exception {
        Path log = dir.resolve("log");
        Path generic = script("notify", "echo \"notify $3 $4\" >> " + log);
        NotifyScripts n = new NotifyScripts(program(generic, Duration.ofSeconds(5)), runner);
        n.onPriority("vi_1", RouterState.MASTER, 80);
        n.onTransition(t(RouterState.BACKUP, RouterState.MASTER));
        n.idle().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("notify MASTER 100"), Files.readAllLines(log));
    }
}
