package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.it.IpvsChaosExpected.Difference;
import io.vipkeeper.appliance.it.IpvsChaosWindows.Timing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compares every sample with what the lab expected when it began and keeps the differences; a
 * difference is a violation when no window of its element overlaps the sample. Windows close at
 * their anchor plus a bound in R, the longest run measured over the whole test, so the final
 * judgement ({@link #judge}) comes at the end; while the test runs, a difference outside every
 * window (by the R known so far) for {@link #GIVE_UP_NANOS} stops it early. The daemon's exit, a
 * status API that does not answer and a wrong reload result are violations at once.
 */
final class IpvsChaosChecker {
    /** A difference outside every window this long ends the run early: no bound comes near it. */
    static final long GIVE_UP_NANOS = 30_000_000_000L;
    /** The status API may take this long to answer (a JVM under TCG, a reload in progress). */
    static final long API_ALLOWANCE_NANOS = 10_000_000_000L;

    /** A broken promise. */
    record Violation(long nanos, IpvsChaosInvariant invariant, String text) {
    }

    /** A difference and when its source was read. */
    private record Seen(Difference difference, long from, long to) {
        String element() {
            return difference.element();
        }
    }

    /** A sample's times and its differences. */
    private record Judged(long start, long end, List<Seen> differences) {
    }

    private final IpvsChaosWindows windows;
    /** The daemon's runs as its log showed them lately, and when that was read. */
    private IpvsChaosRunClock.Runs runs = IpvsChaosRunClock.of("");
    private long runsRead;
    private final IpvsChaosTimeline timeline;
    private final JarProcess daemon;
    private final List<Judged> judged = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, Long> outsideSince = new HashMap<>();
    private volatile SortedMap<String, String> expected = new TreeMap<>();
    private volatile boolean armed;
    private volatile java.time.LocalDateTime armedAt = java.time.LocalDateTime.MIN;
    private volatile boolean stop;
    private SortedMap<String, String> previous = new TreeMap<>();
    private long lastStatus = System.nanoTime();
    private boolean apiReported;
    private int samples;
    private long sampleNanos;
    /** Time spent reading ipvsadm, nft and the status, over the samples that read each. */
    private final long[] sourceNanos = new long[3];
    private final int[] sourceReads = new int[3];

    IpvsChaosChecker(IpvsChaosWindows windows, IpvsChaosTimeline timeline, JarProcess daemon) {
        this.windows = windows;
        this.timeline = timeline;
        this.daemon = daemon;
    }

    /** What the kernel should hold from now on (after the windows of the change are open). */
    void expect(SortedMap<String, String> e) {
        expected = e;
    }

    SortedMap<String, String> expected() {
        return expected;
    }

    /** From now on differences count (before: the daemon programs its first table). */
    void arm() {
        armedAt = java.time.LocalDateTime.now();
        armed = true;
    }

    /** The daemon's reconcile runs since {@link #arm} (all before). */
    IpvsChaosRunClock.Runs runs() {
        return IpvsChaosRunClock.of(daemon.log(), armedAt);
    }

    /** Whether the run should end now (the daemon is gone, or a difference has lasted far beyond any bound). */
    boolean stopRequested() {
        return stop;
    }

    /**
     * While the test runs: every window with the longest run so far as its R (the daemon's log
     * read at most every 5 s), or one interval before any run. Longer than the final judgement's.
     */
    synchronized Timing timingNow() {
        if (System.nanoTime() - runsRead > 5_000_000_000L) {
            runs = runs();
            runsRead = System.nanoTime();
        }
        return Timing.upperBound(runs.runNanos(IpvsChaosConfig.INTERVAL_MS * 1_000_000));
    }

    /** Judges one sample (on the sampler's thread); returns its differences. */
    synchronized List<Difference> check(IpvsChaosSample s) {
        List<Difference> diff = IpvsChaosExpected.differences(s.expected(), s.actual(), s::read);
        seen(s);
        samples++;
        sampleNanos += s.end() - s.start();
        IpvsChaosSample.Span[] spans = {s.ipvs(), s.nft(), s.statusRead()};
        for (int i = 0; i < spans.length; i++) {
            if (spans[i] != null) {
                sourceNanos[i] += spans[i].to() - spans[i].from();
                sourceReads[i]++;
            }
        }
        if (!armed) {
            return diff;
        }
        List<Seen> seen = new ArrayList<>();
        for (Difference d : diff) {
            IpvsChaosSample.Span span = s.span(d.element());
            seen.add(new Seen(d, span.from(), span.to()));
        }
        judged.add(new Judged(s.start(), s.end(), seen));
        if (!s.alive()) {
            violation(s.end(), IpvsChaosInvariant.ALIVE, "the daemon exited; its log ends:\n" + tail(daemon.log(), 30));
            stop = true;
        }
        if (s.status() != null) {
            lastStatus = s.end();
            apiReported = false;
        } else if (s.end() - lastStatus > API_ALLOWANCE_NANOS && !apiReported) {
            apiReported = true;
            violation(s.end(), IpvsChaosInvariant.API, "no answer from the status API for "
                    + (s.end() - lastStatus) / 1_000_000 + " ms");
        }
        Timing t = timingNow();
        for (Seen d : seen) {
            if (windows.covers(d.element(), d.from(), d.to(), t)) {
                outsideSince.remove(d.element());
            } else if (d.to() - outsideSince.computeIfAbsent(d.element(), k -> d.from()) > GIVE_UP_NANOS && !stop) {
                timeline.note(s.end(), "giving up: " + d.difference() + " for over " + GIVE_UP_NANOS / 1_000_000_000 + " s");
                stop = true;
            }
        }
        outsideSince.keySet().retainAll(diff.stream().map(Difference::element).toList());
        return diff;
    }

    /** Records in the timeline what changed in the kernel since the sample before. */
    private void seen(IpvsChaosSample s) {
        SortedMap<String, String> now = new TreeMap<>(previous);
        s.actual().forEach(now::put);
        previous.keySet().stream().filter(k -> s.read(k) && !s.actual().containsKey(k)).toList().forEach(now::remove);
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(now.keySet());
        keys.addAll(previous.keySet());
        for (String k : keys) {
            String was = previous.get(k);
            String is = now.get(k);
            if (!java.util.Objects.equals(was, is)) {
                timeline.seen(s.start(), k + ": " + (was == null ? "(none)" : was) + "  ->  " + (is == null ? "(none)" : is)
                        + (java.util.Objects.equals(is, s.expected().get(k)) ? "" : "   [expected "
                        + (s.expected().get(k) == null ? "none" : s.expected().get(k)) + "]"));
            }
        }
        previous = now;
    }

    /** A violation found by the executor or a check; printed in the timeline. */
    synchronized void violation(long nanos, IpvsChaosInvariant inv, String text) {
        violations.add(new Violation(nanos, inv, text));
        timeline.note(nanos, "VIOLATION " + inv + ": " + text);
    }

    /**
     * Every violation of the run with the final timing: the immediate ones, and per element each
     * stretch of samples in which it differed outside every window.
     */
    synchronized List<Violation> judge(Timing t) {
        List<Violation> all = new ArrayList<>(violations);
        Map<String, Seen> open = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        for (Judged j : judged) {
            List<String> outside = new ArrayList<>();
            for (Seen d : j.differences()) {
                if (!windows.covers(d.element(), d.from(), d.to(), t)) {
                    outside.add(d.element());
                    open.putIfAbsent(d.element(), d);
                    last.put(d.element(), d.to());
                }
            }
            for (String element : new ArrayList<>(open.keySet())) {
                if (!outside.contains(element)) {
                    all.add(stretch(element, open.remove(element), last.get(element), t));
                }
            }
        }
        open.forEach((element, d) -> all.add(stretch(element, d, last.get(element), t)));
        all.sort(java.util.Comparator.comparingLong(Violation::nanos));
        return all;
    }

    private Violation stretch(String element, Seen from, long to, Timing t) {
        StringBuilder sb = new StringBuilder(from.difference().toString());
        sb.append("\n      outside every window from ").append(timeline.at(from.from()).strip()).append(" s to ")
                .append(timeline.at(to).strip()).append(" s; windows of this element:");
        for (IpvsChaosWindows.Window w : windows.all()) {
            if (w.about(element)) {
                sb.append("\n        ").append(timeline.at(w.start).strip()).append(" s - ")
                        .append(w.anchor == Long.MAX_VALUE ? "open" : timeline.at(w.end(t)).strip() + " s")
                        .append(" (").append(w.bound).append("): ").append(w.why);
            }
        }
        IpvsChaosInvariant inv = element.equals(IpvsChaosExpected.DIGEST) ? IpvsChaosInvariant.CONFIG
                : IpvsChaosExpected.owned(element) ? IpvsChaosInvariant.TABLE : IpvsChaosInvariant.FOREIGN;
        return new Violation(from.from(), inv, sb.toString());
    }

    /**
     * Per bound: the longest time from a window's anchor to the end of the first sample that found
     * its elements as expected and over how many windows (only windows that no other window of
     * their elements overlapped until then count), and the longest the bound was: how close the
     * daemon came to its bounds.
     */
    synchronized Map<IpvsChaosWindows.Bound, long[]> settleTimes(Timing t) {
        Map<IpvsChaosWindows.Bound, long[]> out = new java.util.EnumMap<>(IpvsChaosWindows.Bound.class);
        List<IpvsChaosWindows.Window> all = windows.all();
        for (IpvsChaosWindows.Window w : all) {
            if (w.anchor == Long.MAX_VALUE) {
                continue;
            }
            long[] kind = out.computeIfAbsent(w.bound, b -> new long[3]);
            kind[2] = Math.max(kind[2], w.end(t) - w.anchor);
            for (Judged j : judged) {
                if (j.start() >= w.anchor && j.differences().stream().noneMatch(d -> w.about(d.element()))) {
                    boolean alone = all.stream().noneMatch(o -> o != w && o.overlaps(w.anchor, j.end(), t) && shared(o, w));
                    if (alone) {
                        kind[0] = Math.max(kind[0], j.end() - w.anchor);
                        kind[1]++;
                    }
                    break;
                }
            }
        }
        return out;
    }

    private static boolean shared(IpvsChaosWindows.Window a, IpvsChaosWindows.Window b) {
        return a.elements.stream().anyMatch(b::about) || b.elements.stream().anyMatch(a::about);
    }

    /** "N samples, each X ms on average (ipvsadm A ms, nft B ms, status C ms)". */
    synchronized String sampleStats() {
        return String.format(java.util.Locale.ROOT, "%d samples, %.0f ms each on average (ipvsadm %.0f ms, nft %.0f ms,"
                + " status %.0f ms)", samples, samples == 0 ? 0.0 : sampleNanos / 1e6 / samples, mean(0), mean(1), mean(2));
    }

    private double mean(int source) {
        return sourceReads[source] == 0 ? 0.0 : sourceNanos[source] / 1e6 / sourceReads[source];
    }

    private static String tail(String log, int lines) {
        List<String> all = log.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
