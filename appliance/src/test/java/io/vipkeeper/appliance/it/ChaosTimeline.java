package io.vipkeeper.appliance.it;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * What happened in a fault-lab run, timestamped from its start: every operation (kept for the
 * whole run) and every sample that differs from the one before (the last few thousand), plus
 * violations. A violation's report prints the operations that led to it and the timeline around it.
 */
final class ChaosTimeline {
    private static final int KEPT_SAMPLES = 4000;
    private final long startNanos;
    private final PrintStream live;
    private final List<Entry> ops = new ArrayList<>();
    private final Deque<Entry> samples = new ArrayDeque<>();
    private final List<Entry> violations = new ArrayList<>();

    /** One line at a time. */
    record Entry(long nanos, String kind, String text) {
    }

    /**
     * @param live where operations are also printed as they happen (null: nowhere)
     */
    ChaosTimeline(long startNanos, PrintStream live) {
        this.startNanos = startNanos;
        this.live = live;
    }

    /** Seconds since the start, as printed. */
    String at(long nanos) {
        return String.format(Locale.ROOT, "%9.3f", (nanos - startNanos) / 1e9);
    }

    synchronized void op(long nanos, String text) {
        Entry e = new Entry(nanos, "op", text);
        ops.add(e);
        samples.add(e);
        trim();
        if (live != null) {
            live.println(at(nanos) + "  " + text);
        }
    }

    synchronized void sample(long nanos, String text) {
        samples.add(new Entry(nanos, "sample", text));
        trim();
    }

    synchronized void violation(long nanos, String text) {
        Entry e = new Entry(nanos, "VIOLATION", text);
        violations.add(e);
        samples.add(e);
        trim();
        if (live != null) {
            live.println(at(nanos) + "  VIOLATION " + text);
        }
    }

    private void trim() {
        while (samples.size() > KEPT_SAMPLES) {
            samples.removeFirst();
        }
    }

    synchronized List<Entry> violations() {
        return List.copyOf(violations);
    }

    /**
     * Prints the first violation: the operations up to it, and the timeline from
     * {@code beforeNanos} before it to the end of what was recorded.
     */
    synchronized void report(PrintStream out, long beforeNanos) {
        if (violations.isEmpty()) {
            return;
        }
        Entry first = violations.get(0);
        out.println("operations that led to it:");
        for (Entry e : ops) {
            if (e.nanos() <= first.nanos()) {
                out.println(at(e.nanos()) + "  " + e.text());
            }
        }
        out.println("timeline around it (operations, and every sample that differs from the one before):");
        for (Entry e : samples) {
            if (e.nanos() >= first.nanos() - beforeNanos) {
                out.println(at(e.nanos()) + "  " + (e.kind().equals("sample") ? "  " : e.kind() + " ") + e.text());
            }
        }
    }
}
