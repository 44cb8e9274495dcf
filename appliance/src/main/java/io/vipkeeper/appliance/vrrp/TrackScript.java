package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpScript;
import io.vipkeeper.appliance.script.ProcessRunner;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code vrrp.scripts} entry every interval (fixed delay, so runs never overlap) and
 * reports up/down after {@code rise} successes / {@code fall} failures in a row. Starts up, as
 * keepalived does without init_fail.
 */
public final class TrackScript {
    private static final Logger LOG = LoggerFactory.getLogger(TrackScript.class);

    private final VrrpScript script;
    private final ProcessRunner runner;
    private final ScheduledExecutorService timer;
    private final BiConsumer<Boolean, String> onChange;
    private volatile boolean up = true;
    private int successes;
    private int failures;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;

    /**
     * @param onChange told (up, why) on every change of the up/down state; must hop to the VRRP
     *     loop itself
     */
    public TrackScript(VrrpScript script, ProcessRunner runner, ScheduledExecutorService timer,
            BiConsumer<Boolean, String> onChange) {
        this.script = script;
        this.runner = runner;
        this.timer = timer;
        this.onChange = onChange;
    }

    /** Starts the first run now. */
    public synchronized void start() {
        next = timer.schedule(this::runOnce, 0, TimeUnit.MILLISECONDS);
    }

    /** No further runs; a run in progress finishes without effect. */
    public synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    /** Whether the script counts as up. */
    public boolean isUp() {
        return up;
    }

    /** The script's config. */
    public VrrpScript script() {
        return script;
    }

    private void runOnce() {
        runner.run(script.program()).whenComplete((result, error) -> {
            if (stopped) {
                return;
            }
            if (error != null) {
                record(false, error.toString());
            } else {
                record(result.ok(), result.describe() + (result.output().isEmpty() ? "" : ": " + result.output()));
            }
            synchronized (this) {
                if (!stopped) {
                    next = timer.schedule(this::runOnce, script.interval().toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        });
    }

    private void record(boolean ok, String what) {
        if (ok) {
            failures = 0;
            successes++;
            if (!up && successes >= script.rise()) {
                up = true;
                LOG.info("track script {} is up ({} successes)", script.name(), successes);
                onChange.accept(true, "script " + script.name() + " succeeded");
            }
        } else {
            successes = 0;
            failures++;
            if (up && failures >= script.fall()) {
                up = false;
                LOG.warn("track script {} is down: {}", script.name(), what);
                onChange.accept(false, "script " + script.name() + " failed: " + what);
            }
        }
    }
}
