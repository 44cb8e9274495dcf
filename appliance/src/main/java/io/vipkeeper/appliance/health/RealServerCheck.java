package io.vipkeeper.appliance.health;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vipkeeper.appliance.config.HealthCheck;
import io.vipkeeper.appliance.dataplane.BackendKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The checking of one real server of one virtual server: runs its probe every interval on one
 * event loop, feeds the results through rise/fall and reports changes. Everything but
 * {@link #health()} and {@link #stop()} runs on that loop, so no state here needs a lock.
 */
final class RealServerCheck {
    /** Told about a change of state, on the check's loop. */
    interface Changes {
        void changed(RealServerCheck check, boolean up, String reason, int run);
    }

    final String virtualServer;
    final BackendKey dest;
    final HealthCheck settings;
    final EventLoop loop;
    private final Probe probe;
    private final Changes changes;
    private final Clock clock;
    private RiseFall riseFall;
    private Instant lastChange;
    private long checks;
    private long failures;
    private ScheduledFuture<?> next;
    private volatile boolean stopped;
    private volatile RealServerHealth health;

    /**
     * @param probe null for type none (always up, never checked)
     * @param up the state to start in
     */
    RealServerCheck(String virtualServer, BackendKey dest, HealthCheck settings, EventLoop loop, Probe probe,
            Changes changes, Clock clock, boolean up, Instant lastChange, String lastResult) {
        this.virtualServer = virtualServer;
        this.dest = dest;
        this.settings = settings;
        this.loop = loop;
        this.probe = probe;
        this.changes = changes;
        this.clock = clock;
        this.lastChange = lastChange;
        this.riseFall = new RiseFall(settings.rise(), settings.fall(), up);
        this.health = new RealServerHealth(up, lastResult, lastChange, 0, 0, Duration.ZERO);
    }

    /** The latest snapshot; any thread. */
    RealServerHealth health() {
        return health;
    }

    /** Starts checking after a random part of the interval, so that many servers do not fire together. */
    void start() {
        onLoop(() -> {
            if (probe != null && !stopped) {
                long interval = settings.interval().toNanos();
                schedule(ThreadLocalRandom.current().nextLong(interval));
            }
        });
    }

    /**
     * Takes over from {@code previous} (same real server, other settings, same loop): its state and
     * last change stay, the counters start afresh. Runs on the loop, so no result of the previous
     * check can come between its last report and this.
     */
    void takeOver(RealServerCheck previous) {
        onLoop(() -> {
            previous.stopOnLoop();
            if (stopped) {
                return;
            }
            boolean wasUp = previous.riseFall.up();
            lastChange = previous.lastChange;
            if (probe == null && !wasUp) {
                // Type none is always up: going there from down is a change like any other.
                lastChange = clock.instant();
                riseFall = new RiseFall(settings.rise(), settings.fall(), true);
                publish("not checked", Duration.ZERO);
                changes.changed(this, true, "not checked (type none)", 0);
                return;
            }
            riseFall = new RiseFall(settings.rise(), settings.fall(), probe == null || wasUp);
            publish(probe == null ? "not checked" : previous.health.lastResult(), Duration.ZERO);
            if (probe != null) {
                schedule(ThreadLocalRandom.current().nextLong(settings.interval().toNanos()));
            }
        });
    }

    /** Stops checking; a check in flight is ignored when it ends. Any thread. */
    void stop() {
        stopped = true;
        onLoop(this::stopOnLoop);
    }

    /** Runs {@code task} on the loop; a loop that is shutting down has nothing left to check. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }

    private void stopOnLoop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void schedule(long delayNanos) {
        next = loop.schedule(this::runOnce, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void runOnce() {
        if (stopped) {
            return;
        }
        long start = System.nanoTime();
        try {
            probe.run(loop, result -> completed(start, result));
        } catch (RuntimeException e) {
            completed(start, CheckResult.down(Failures.reason(e)));
        }
    }

    private void completed(long start, CheckResult result) {
        if (stopped) {
            return;
        }
        long end = System.nanoTime();
        checks++;
        if (!result.ok()) {
            failures++;
        }
        int run = riseFall.run() + 1;
        boolean changed = riseFall.record(result.ok());
        if (changed) {
            lastChange = clock.instant();
        }
        publish(result.reason(), Duration.ofNanos(end - start));
        if (changed) {
            changes.changed(this, riseFall.up(), result.reason(), run);
        }
        schedule(start + settings.interval().toNanos() - System.nanoTime());
    }

    private void publish(String lastResult, Duration latency) {
        health = new RealServerHealth(riseFall.up(), lastResult, lastChange, checks, failures, latency);
    }
}
