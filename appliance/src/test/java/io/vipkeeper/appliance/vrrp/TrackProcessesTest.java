package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.config.VrrpTrackProcess;
import io.vipkeeper.appliance.config.VrrpTrackProcess.ParamMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counting, quorum and delays over a /proc of the test's own (directories with comm and
 * cmdline), on a clock the test moves; and one scan of the real /proc.
 */
class TrackProcessesTest {
    @TempDir
    Path proc;
    private final AtomicLong clock = new AtomicLong();
    private final List<String> changes = new ArrayList<>();
    private int nextPid = 100;

    private Path start(String comm) throws Exception {
        Path d = Files.createDirectory(proc.resolve(Integer.toString(nextPid++)));
        Files.writeString(d.resolve("comm"), comm + "\n");
        Files.write(d.resolve("cmdline"), ("/usr/sbin/" + comm + "\0").getBytes());
        return d;
    }

    private static void stop(Path d) throws Exception {
        Files.delete(d.resolve("comm"));
        Files.delete(d.resolve("cmdline"));
        Files.delete(d);
    }

    private static VrrpTrackProcess haproxy(int quorum, int quorumMax, boolean reverse, Duration fork, Duration term) {
        return new VrrpTrackProcess("hap", List.of("haproxy"), ParamMatch.NONE, false, -50, reverse, quorum, quorumMax,
                fork, term, Duration.ofSeconds(1));
    }

    private TrackProcesses tracker() {
        return new TrackProcesses(new ProcScan(proc), Runnable::run,
                (name, s) -> changes.add(name + " " + (s.up() ? "up" : "down") + " " + s.count()), clock::get);
    }

    private void second(TrackProcesses t) {
        clock.addAndGet(1_000_000_000L);
        t.scanOnce();
    }

    @Test
    void theQuorumDecidesAndEachChangeIsReportedOnce() throws Exception {
        Files.createDirectory(proc.resolve("self")); // not a pid
        Path a = start("haproxy");
        start("sshd");
        try (TrackProcesses t = tracker()) {
            t.watch(Map.of("hap", haproxy(1, 1, false, Duration.ZERO, Duration.ZERO)));
            assertEquals(new TrackProcesses.State(true, 1), t.state("hap"));
            Path b = start("haproxy");
            second(t);
            assertEquals(List.of("hap down 2"), changes, "quorum-max 1: a second copy is a failure");
            second(t);
            assertEquals(1, changes.size(), "said once");
            stop(b);
            stop(a);
            second(t);
            assertEquals(List.of("hap down 2"), changes, "none is below quorum 1: still down, nothing to say");
            assertEquals(new TrackProcesses.State(false, 0), t.state("hap"));
        }
    }

    @Test
    void delaysHoldAChangeBackAndReverseTurnsItRound() throws Exception {
        Path a = start("haproxy");
        try (TrackProcesses t = tracker()) {
            t.watch(Map.of("hap", haproxy(1, Integer.MAX_VALUE, false, Duration.ofSeconds(2), Duration.ofSeconds(3))));
            stop(a);
            second(t);
            second(t);
            second(t);
            assertEquals(List.of(), changes, "within terminate-delay");
            second(t);
            assertEquals(List.of("hap down 0"), changes);
            Path b = start("haproxy");
            second(t);
            stop(b);
            second(t);
            start("haproxy");
            second(t);
            second(t);
            assertEquals(List.of("hap down 0"), changes, "a bounce restarts fork-delay");
            second(t);
            assertEquals(List.of("hap down 0", "hap up 1"), changes);

            t.watch(Map.of("hap", haproxy(1, Integer.MAX_VALUE, true, Duration.ZERO, Duration.ZERO)));
            assertEquals(new TrackProcesses.State(false, 1), t.state("hap"), "reverse: down while it runs");
        }
    }

    @Test
    void theRealProcFindsThisJvm() {
        String comm = new ProcScan(Path.of("/proc")).processes(false).stream().map(ProcessMatch.Seen::comm)
                .filter(c -> c.equals("java")).findFirst().orElse("none");
        assertEquals("java", comm);
    }
}
