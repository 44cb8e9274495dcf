package io.vipkeeper.appliance.it;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What happened in an IPVS fault-lab run, timestamped from its start: operations (also printed as
 * they run), the kernel's changes as the samples saw them, and notes. A report prints the
 * operations up to a moment and the timeline around it.
 */
final class IpvsChaosTimeline {
    private static final int KEPT = 20_000;
    private final long startNanos;
    private final java.time.Instant startWall = java.time.Instant.now();
    private final PrintStream live;
    private final List<Entry> entries = new ArrayList<>();

    /** One line. */
    record Entry(long nanos, String kind, String text) {
    }

    IpvsChaosTimeline(long startNanos, PrintStream live) {
        this.startNanos = startNanos;
        this.live = live;
    }

    long startNanos() {
        return startNanos;
    }

    /** Seconds since the start, as printed. */
    String at(long nanos) {
        return String.format(Locale.ROOT, "%8.3f", (nanos - startNanos) / 1e9);
    }

    /** The wall-clock time of {@code nanos} (to find the daemon's log lines of a moment). */
    java.time.Instant wall(long nanos) {
        return startWall.plusNanos(nanos - startNanos);
    }

    /** The lab's nanoTime of a local time of the daemon's log. */
    long nanos(java.time.LocalDateTime local) {
        java.time.Instant at = local.atZone(java.time.ZoneId.systemDefault()).toInstant();
        return startNanos + java.time.Duration.between(startWall, at).toNanos();
    }

    synchronized void op(long nanos, String text) {
        add(new Entry(nanos, "op", text));
        live.println(at(nanos) + "  " + text);
    }

    /** Something the kernel or the daemon did, as a sample saw it. */
    synchronized void seen(long nanos, String text) {
        add(new Entry(nanos, "seen", text));
    }

    /** A note (an edit ipvsadm refused, a reload's result), also printed. */
    synchronized void note(long nanos, String text) {
        add(new Entry(nanos, "note", text));
        live.println(at(nanos) + "    " + text);
    }

    private void add(Entry e) {
        if (entries.size() < KEPT) {
            entries.add(e);
        }
    }

    /** Prints the operations up to {@code nanos} and every entry from {@code beforeNanos} before it to {@code afterNanos} after. */
    synchronized void report(PrintStream out, long nanos, long beforeNanos, long afterNanos) {
        out.println("operations up to it:");
        for (Entry e : entries) {
            if (e.kind().equals("op") && e.nanos() <= nanos) {
                out.println(at(e.nanos()) + "  " + e.text());
            }
        }
        out.println("timeline around it (operations, notes, and what the samples saw change):");
        for (Entry e : entries) {
            if (e.nanos() >= nanos - beforeNanos && e.nanos() <= nanos + afterNanos) {
                out.println(at(e.nanos()) + "  " + (e.kind().equals("op") ? "" : "  ") + e.text());
            }
        }
    }
}
