package io.vipkeeper.appliance.it;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The windows the IPVS fault lab's operations open: for the elements an operation may change (see
 * {@link IpvsChaosExpected}), from the moment it starts until its anchor (the edit done, the
 * reload's result, the backend's port open or closed) plus a bound. A difference between the
 * kernel and the expected state is a violation only in a sample that no window of that element
 * overlaps. The bounds are sums of the daemon's own timers and R, the longest reconcile run that
 * overlapped the window ({@link IpvsChaosRunClock}: the daemon logs each run's time); P = I + R is
 * the longest time from one run's table read to the next (a periodic run starts one interval after
 * the one before ended). R is the window's own, not the test's longest: one run slowed down by
 * the host must not widen every other window, and a daemon that stops running gets no allowance.
 */
final class IpvsChaosWindows {
    /** How long after its anchor a window stays open. */
    enum Bound {
        /** The change is made by the anchor itself (a reload is programmed before it reports success). */
        IMMEDIATE,
        /**
         * A hand edit: the next periodic run dumps within P of it and has repaired it R later: I + 2R.
         */
        RUN,
        /**
         * A real server a reload removed: weight 0 at once, deleted by the first run whose drain
         * clock shows D (that run's dump within D + P of the reload, done R later), and the
         * masquerade rule, which keeps a draining server, follows at the next run: D + 2P + R.
         */
        RELOAD_DRAIN,
        /**
         * A real server added by hand: the first run sees it within P and R (drain clock starts),
         * then as {@link #RELOAD_DRAIN}: P + R + D + 2P + R.
         */
        HAND_DRAIN,
        /**
         * A backend stopped (or a new real server whose backend is down, which starts up): the
         * first check after it starts within one check interval H, fall of them fail, the last
         * within the timeout T, and the health run may wait for a run in progress: fall H + T + 2R.
         */
        HEALTH_DOWN,
        /** A backend started: rise H + T + 2R, as {@link #HEALTH_DOWN}. */
        HEALTH_UP;

        /** The bound in ns with run time {@code r}. */
        long nanos(long r) {
            long i = IpvsChaosConfig.INTERVAL_MS * 1_000_000;
            long d = IpvsChaosConfig.DRAIN_MS * 1_000_000;
            long h = IpvsChaosConfig.CHECK_INTERVAL_MS * 1_000_000;
            long t = IpvsChaosConfig.CHECK_TIMEOUT_MS * 1_000_000;
            long p = i + r;
            return switch (this) {
                case IMMEDIATE -> 0;
                case RUN -> p + r;
                case RELOAD_DRAIN -> d + 2 * p + r;
                case HAND_DRAIN -> p + r + d + 2 * p + r;
                case HEALTH_DOWN -> IpvsChaosConfig.FALL * h + t + 2 * r;
                case HEALTH_UP -> IpvsChaosConfig.RISE * h + t + 2 * r;
            };
        }
    }

    /**
     * The daemon's reconcile runs (start and end in the lab's nanoTime), from which each window
     * takes its R: the longest run that overlapped it, found as a fixed point (a longer run makes
     * the window longer, which may take in another run). {@link #upperBound} gives every window
     * one R instead, while the test runs (to wait for the last window and to give up early).
     */
    static final class Timing {
        private final List<long[]> runs;
        private final long longest;

        private Timing(List<long[]> runs, long longest) {
            this.runs = runs;
            this.longest = longest;
        }

        /** R of each window from {@code runs} (start, end). */
        static Timing of(List<long[]> runs) {
            return new Timing(List.copyOf(runs), -1);
        }

        /** R = {@code run} for every window. */
        static Timing upperBound(long run) {
            return new Timing(null, run);
        }

        /** When a window anchored at {@code anchor} with {@code bound} closes. */
        long end(long anchor, Bound bound) {
            if (runs == null) {
                return anchor + bound.nanos(longest);
            }
            long r = 0;
            while (true) {
                long end = anchor + bound.nanos(r);
                long longer = r;
                for (long[] run : runs) {
                    if (run[1] > anchor && run[0] < end) {
                        longer = Math.max(longer, run[1] - run[0]);
                    }
                }
                if (longer == r) {
                    return end;
                }
                r = longer;
            }
        }
    }

    /** One window; {@code anchor} is Long.MAX_VALUE while the operation runs. */
    static final class Window {
        final String why;
        final Set<String> elements;
        final Bound bound;
        final long start;
        volatile long anchor = Long.MAX_VALUE;

        Window(String why, Collection<String> elements, Bound bound, long start) {
            this.why = why;
            this.elements = Set.copyOf(elements);
            this.bound = bound;
            this.start = start;
        }

        /** Whether it is about {@code element}: named, or under a name ending in "*". */
        boolean about(String element) {
            for (String e : elements) {
                if (e.endsWith("*") ? element.startsWith(e.substring(0, e.length() - 1)) : e.equals(element)) {
                    return true;
                }
            }
            return false;
        }

        long end(Timing t) {
            return anchor == Long.MAX_VALUE ? Long.MAX_VALUE : t.end(anchor, bound);
        }

        /** Whether it overlaps the sample taken from {@code from} to {@code to}. */
        boolean overlaps(long from, long to, Timing t) {
            return start < to && end(t) > from;
        }
    }

    private final List<Window> windows = new ArrayList<>();

    /** Opens a window at {@code start} (before the operation touches anything). */
    synchronized Window open(String why, Collection<String> elements, Bound bound, long start) {
        Window w = new Window(why, elements, bound, start);
        windows.add(w);
        return w;
    }

    /** Whether a window of {@code element} overlaps the sample from {@code from} to {@code to}. */
    synchronized boolean covers(String element, long from, long to, Timing t) {
        for (Window w : windows) {
            if (w.overlaps(from, to, t) && w.about(element)) {
                return true;
            }
        }
        return false;
    }

    /** When the last window closes (Long.MAX_VALUE while one has no anchor; 0 without windows). */
    synchronized long lastEnd(Timing t) {
        long end = 0;
        for (Window w : windows) {
            end = Math.max(end, w.end(t));
        }
        return end;
    }

    synchronized List<Window> all() {
        return List.copyOf(windows);
    }
}
