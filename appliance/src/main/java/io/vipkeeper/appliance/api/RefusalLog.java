package io.vipkeeper.appliance.api;

import io.netty.util.concurrent.EventExecutor;
import io.vipkeeper.appliance.config.Durations;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused (or closed) connections, or refused writes, at most once per interval, so that a flood of them
 * cannot flood the journal as well: the first one at once, the ones after it summed up in one line
 * at the end of each interval while they go on. Safe on any event loop (connections are closed on
 * theirs).
 */
final class RefusalLog {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    /** At most one line a minute; the metric has the exact count at any time. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Duration interval;
    private final Consumer<String> sink;
    private final String verb;
    private final String noun;
    private long suppressed;
    private String latest;
    private boolean armed;

    /** Warnings to the log about connections {@code verb} ("refused", "closed"). */
    RefusalLog(Duration interval, String verb) {
        this(interval, verb, "connection", log::warn);
    }

    /** Warnings to the log about {@code noun}s ("write") {@code verb}. */
    RefusalLog(Duration interval, String verb, String noun) {
        this(interval, verb, noun, log::warn);
    }

    /** Lines to {@code sink} (tests). */
    RefusalLog(Duration interval, String verb, Consumer<String> sink) {
        this(interval, verb, "connection", sink);
    }

    private RefusalLog(Duration interval, String verb, String noun, Consumer<String> sink) {
        this.interval = interval;
        this.verb = verb;
        this.noun = noun;
        this.sink = sink;
    }

    /**
     * One refused connection: {@code why} says which cap (or why it was closed); {@code loop} is
     * the caller's event loop.
     */
    synchronized void refused(EventExecutor loop, String client, String why) {
        String what = "from " + client + ": " + why;
        if (armed) {
            suppressed++;
            latest = what;
            return;
        }
        sink.accept("status API: " + verb + " a " + noun + " " + what + "; further ones are summed up every "
                + Durations.format(interval));
        armed = true;
        loop.schedule(() -> flush(loop), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void flush(EventExecutor loop) {
        if (suppressed == 0) {
            armed = false;
            return;
        }
        sink.accept("status API: " + verb + " " + suppressed + " more " + noun + "(s) in the last "
                + Durations.format(interval) + ", the latest " + latest);
        suppressed = 0;
        loop.schedule(() -> flush(loop), interval.toNanos(), TimeUnit.NANOSECONDS);
    }
}
