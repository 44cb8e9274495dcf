package io.vipkeeper.appliance.it;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reconcile runs of the daemon under test, from its own account: at log level debug it logs
 * every run's parts when the run ends ("ipvs: dump A ms, plan B ms, N change(s) C ms": the table
 * read, the nft rules and the plan, the changes sent until the kernel's last ACK), so a run took
 * A + B + C and ended at the line's time. Only run times count, never the pauses between runs: a
 * daemon that reconciled less often than its interval must not widen its own bounds. The longest
 * pause from the end of a run to the start of the next is reported beside them (the interval, or
 * less when a reload or a health change ran in between).
 */
final class IpvsChaosRunClock {
    private static final Pattern RUN = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3})[+-]\\d{4} DEBUG DataPlaneManager: ipvs: dump (\\d+) ms, plan (\\d+) ms,"
                    + " \\d+ change\\(s\\) (\\d+) ms");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /**
     * The runs of one log.
     *
     * @param runs how many
     * @param longestMillis R in ms (-1 without runs)
     * @param medianMillis the median run in ms
     * @param longestPauseMillis the longest time from the end of a run to the start of the next
     * @param spans every run's start and end
     */
    record Runs(int runs, long longestMillis, long medianMillis, long longestPauseMillis, List<Span> spans) {
        /** R in ns, or {@code otherwise} before any run. */
        long runNanos(long otherwise) {
            return longestMillis < 0 ? otherwise : longestMillis * 1_000_000;
        }

        @Override
        public String toString() {
            return runs + " reconcile runs: median " + medianMillis + " ms, longest (R) " + longestMillis
                    + " ms; longest pause between two " + longestPauseMillis + " ms";
        }
    }

    /** When one run started and ended (local time, ms). */
    record Span(LocalDateTime start, LocalDateTime end) {
    }

    private IpvsChaosRunClock() {
    }

    /** Every run in the daemon's log {@code log}. */
    static Runs of(String log) {
        return of(log, LocalDateTime.MIN);
    }

    /**
     * The runs in the daemon's log {@code log} that ended at {@code from} or later (the first run
     * programs the whole table in a cold JVM: it is no measure of the runs the bounds are about).
     */
    static Runs of(String log, LocalDateTime from) {
        List<Long> durations = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        long pause = 0;
        LocalDateTime lastEnd = null;
        for (String line : log.split("\n")) {
            Matcher m = RUN.matcher(line);
            if (!m.find()) {
                continue;
            }
            long ms = Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)) + Long.parseLong(m.group(4));
            LocalDateTime end = LocalDateTime.parse(m.group(1), TIME);
            if (end.isBefore(from)) {
                continue;
            }
            if (lastEnd != null) {
                pause = Math.max(pause, java.time.Duration.between(lastEnd, end.minusNanos(ms * 1_000_000)).toMillis());
            }
            lastEnd = end;
            durations.add(ms);
            spans.add(new Span(end.minusNanos(ms * 1_000_000), end));
        }
        if (durations.isEmpty()) {
            return new Runs(0, -1, -1, 0, List.of());
        }
        List<Long> sorted = new ArrayList<>(durations);
        sorted.sort(null);
        return new Runs(sorted.size(), sorted.get(sorted.size() - 1), sorted.get(sorted.size() / 2), pause,
                List.copyOf(spans));
    }
}
