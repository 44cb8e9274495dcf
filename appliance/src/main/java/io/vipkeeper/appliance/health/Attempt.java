package io.vipkeeper.appliance.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One check in flight: completes exactly once (with the first of result, error or timeout),
 * cancels its timer and closes its channel. Used only on its event loop.
 */
final class Attempt {
    private final Consumer<CheckResult> done;
    private final ScheduledFuture<?> timer;
    private Channel channel;
    private boolean finished;

    /**
     * @param loop the loop the check runs on
     * @param timeout when the check ends with {@code onTimeout}
     * @param onTimeout the result at the timeout (a failure, except for udp checks without an expected reply)
     * @param done told the result once
     */
    Attempt(EventLoop loop, Duration timeout, CheckResult onTimeout, Consumer<CheckResult> done) {
        this.done = done;
        this.timer = loop.schedule(() -> finish(onTimeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The channel to close when the check ends. */
    void attach(Channel ch) {
        channel = ch;
        if (finished) {
            ch.close();
        }
    }

    boolean finished() {
        return finished;
    }

    void finish(CheckResult result) {
        if (finished) {
            return;
        }
        finished = true;
        timer.cancel(false);
        if (channel != null) {
            channel.close();
        }
        done.accept(result);
    }

    void fail(String reason) {
        finish(CheckResult.down(reason));
    }

    void fail(Throwable t) {
        fail(Failures.reason(t));
    }
}
