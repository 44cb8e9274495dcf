package io.vipkeeper.appliance.vrrp;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.vipkeeper.appliance.config.VrrpTrackProcess;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The track-processes (keepalived's vrrp_track_process) by scanning /proc on a thread of their
 * own, each at its interval: counts the matching processes, holds a change back for its
 * fork-delay or terminate-delay, and reports a change of state on {@code loop}.
 */
final class TrackProcesses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackProcesses.class);

    /**
     * A tracked process's state.
     *
     * @param up whether it counts as up (reverse applied)
     * @param count matching processes at the last scan
     */
    record State(boolean up, int count) {
    }

    /** One entry's counting and delays; touched by the scanning thread only, after its creation. */
    private static final class Tracker {
        final VrrpTrackProcess config;
        volatile State state;
        long lastScanNanos;
        /** Since when the quorum differs from the state's, while a delay runs; MIN_VALUE if not. */
        long changingSince = Long.MIN_VALUE;

        Tracker(VrrpTrackProcess config, int count) {
            this.config = config;
            this.state = new State(up(config, count), count);
        }
    }

    private final ProcScan scan;
    private final Executor loop;
    private final BiConsumer<String, State> onChange;
    private final LongSupplier clock;
    private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
    private ScheduledExecutorService thread;
    private ScheduledFuture<?> task;
    private long periodNanos;

    /** Reports changes as {@code onChange(name, state)} on {@code loop}. */
    TrackProcesses(ProcScan scan, Executor loop, BiConsumer<String, State> onChange, LongSupplier clock) {
        this.scan = scan;
        this.loop = loop;
        this.onChange = onChange;
        this.clock = clock;
    }

    private static boolean up(VrrpTrackProcess p, int count) {
        return quorum(p, count) != p.reverse();
    }

    private static boolean quorum(VrrpTrackProcess p, int count) {
        return count >= p.quorum() && count <= p.quorumMax();
    }

    /**
     * Tracks exactly {@code wanted} from now on; a new or changed entry is counted at once (no
     * delay), so {@link #state} answers for each when this returns.
     */
    synchronized void watch(Map<String, VrrpTrackProcess> wanted) {
        trackers.entrySet().removeIf(e -> !e.getValue().config.equals(wanted.get(e.getKey())));
        List<VrrpTrackProcess> fresh = wanted.values().stream().filter(p -> !trackers.containsKey(p.name())).toList();
        if (!fresh.isEmpty()) {
            List<ProcessMatch.Seen> now = scan.processes(fresh.stream().anyMatch(VrrpTrackProcess::usesCommandLine));
            for (VrrpTrackProcess p : fresh) {
                Tracker t = new Tracker(p, count(p, now));
                t.lastScanNanos = clock.getAsLong();
                trackers.put(p.name(), t);
                LOG.info("track-process {}: {} matching, {}", p.name(), t.state.count(), t.state.up() ? "up" : "down");
            }
        }
        schedule(wanted.values().stream().mapToLong(p -> p.interval().toNanos()).min().orElse(0));
    }

    private void schedule(long period) {
        if (period == periodNanos) {
            return;
        }
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        periodNanos = period;
        if (period == 0) {
            return;
        }
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("vrrp-track-process", true));
        }
        task = thread.scheduleAtFixedRate(this::scanSafely, period, period, TimeUnit.NANOSECONDS);
    }

    /** The state of {@code name} (up with no processes before it is tracked). */
    State state(String name) {
        Tracker t = trackers.get(name);
        return t == null ? new State(true, 0) : t.state;
    }

    private void scanSafely() {
        try {
            scanOnce();
        } catch (RuntimeException e) {
            LOG.warn("track-process: scanning /proc failed: {}", e.getMessage());
        }
    }

    /** One scan for every tracker whose interval has passed (the scanning thread; tests call it). */
    void scanOnce() {
        long now = clock.getAsLong();
        List<Tracker> due = trackers.values().stream()
                .filter(t -> now - t.lastScanNanos >= t.config.interval().toNanos() - periodNanos / 2).toList();
        if (due.isEmpty()) {
            return;
        }
        List<ProcessMatch.Seen> seen = scan.processes(due.stream().anyMatch(t -> t.config.usesCommandLine()));
        for (Tracker t : due) {
            t.lastScanNanos = now;
            observe(t, count(t.config, seen), now);
        }
    }

    private void observe(Tracker t, int count, long now) {
        VrrpTrackProcess p = t.config;
        boolean up = up(p, count);
        if (up == t.state.up()) {
            t.changingSince = Long.MIN_VALUE;
            t.state = new State(up, count);
            return;
        }
        if (t.changingSince == Long.MIN_VALUE) {
            t.changingSince = now;
        }
        long delay = (quorum(p, count) ? p.forkDelay() : p.terminateDelay()).toNanos();
        if (now - t.changingSince < delay) {
            return;
        }
        t.changingSince = Long.MIN_VALUE;
        State next = new State(up, count);
        t.state = next;
        LOG.info("track-process {}: {} matching (quorum {}..{}{}): {}", p.name(), count, p.quorum(),
                p.quorumMax() == Integer.MAX_VALUE ? "unlimited" : p.quorumMax(), p.reverse() ? ", reversed" : "",
                up ? "up" : "down");
        loop.execute(() -> {
            if (trackers.get(p.name()) == t) {
                onChange.accept(p.name(), next);
            }
        });
    }

    private static int count(VrrpTrackProcess p, List<ProcessMatch.Seen> seen) {
        return (int) seen.stream().filter(s -> ProcessMatch.matches(p, s)).count();
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
