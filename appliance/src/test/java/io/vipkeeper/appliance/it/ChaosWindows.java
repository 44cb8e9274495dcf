package io.vipkeeper.appliance.it;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The windows operations open: which invariants they suspend, for which nodes and instances, and
 * until when. A window opens when its operation starts and stays open until the operation has
 * seen its anchor event (a reload's result, a restarted daemon's first state, the heal of a
 * partition); then it is closed at the anchor plus a bound from the RFC 9568 timers
 * ({@link Timers}). Thread-safe: the executor opens and closes, the checker asks.
 */
final class ChaosWindows {
    private final List<Window> windows = new ArrayList<>();

    /** An open window; close it with {@link Window#closeAt}. */
    synchronized Window open(String op, Set<ChaosInvariant> suspended, Set<String> nodes, Set<String> instances,
            long startNanos) {
        Window w = new Window(op, EnumSet.copyOf(suspended), Set.copyOf(nodes), Set.copyOf(instances), startNanos);
        windows.add(w);
        return w;
    }

    /** Whether a window suspends {@code inv} for {@code node}/{@code instance} at some time in [{@code from}, {@code to}]. */
    synchronized boolean covers(ChaosInvariant inv, String node, String instance, long from, long to) {
        for (Window w : windows) {
            if (w.applies(inv, node, instance) && w.start <= to && w.end >= from) {
                return true;
            }
        }
        return false;
    }

    /**
     * The end of the latest window suspending {@code inv} for the subject that overlaps [{@code from},
     * {@code to}]; Long.MIN_VALUE when none does. A condition that began inside a window counts
     * only from that window's end.
     */
    synchronized long coveredUntil(ChaosInvariant inv, String node, String instance, long from, long to) {
        long until = Long.MIN_VALUE;
        for (Window w : windows) {
            if (w.applies(inv, node, instance) && w.start <= to && w.end >= from) {
                until = Math.max(until, w.end);
            }
        }
        return until;
    }

    /** The latest end of the windows opened so far (Long.MAX_VALUE while one is open). */
    synchronized long lastEnd() {
        return windows.stream().mapToLong(w -> w.end).max().orElse(Long.MIN_VALUE);
    }

    /** One window. The end is Long.MAX_VALUE while the operation has not seen its anchor. */
    static final class Window {
        final String op;
        final Set<ChaosInvariant> suspended;
        final Set<String> nodes;
        final Set<String> instances;
        final long start;
        volatile long end = Long.MAX_VALUE;

        private Window(String op, Set<ChaosInvariant> suspended, Set<String> nodes, Set<String> instances, long start) {
            this.op = op;
            this.suspended = suspended;
            this.nodes = nodes;
            this.instances = instances;
            this.start = start;
        }

        private boolean applies(ChaosInvariant inv, String node, String instance) {
            return suspended.contains(inv) && (nodes.isEmpty() || node == null || nodes.contains(node))
                    && (instances.isEmpty() || instance == null || instances.contains(instance));
        }

        /** Closes the window at {@code nanos}. */
        void closeAt(long nanos) {
            end = nanos;
        }

        @Override
        public String toString() {
            return suspended + (nodes.isEmpty() ? "" : " on " + nodes) + (instances.isEmpty() ? "" : " for " + instances);
        }
    }

    /**
     * The RFC 9568 timers of one advert interval (VRRPv3, as the lab runs), in nanoseconds: every
     * window bound is made of these.
     *
     * @param intervalNanos Advertisement_Interval (and Master_Adver_Interval: both nodes use the same)
     */
    record Timers(long intervalNanos) {
        /** Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256 (RFC 9568 §6.1). */
        long skew(int priority) {
            return (256 - priority) * intervalNanos / 256;
        }

        /** Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time. */
        long masterDown(int priority) {
            return 3 * intervalNanos + skew(priority);
        }

        /** One advert interval. */
        long interval() {
            return intervalNanos;
        }

        /** Milliseconds, for reports. */
        static String ms(long nanos) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
    }
}
