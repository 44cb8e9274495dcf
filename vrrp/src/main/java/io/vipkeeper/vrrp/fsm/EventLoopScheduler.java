package io.vipkeeper.vrrp.fsm;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link VrrpScheduler} on a Netty event loop dedicated to VRRP. */
public final class EventLoopScheduler implements VrrpScheduler {
    private final EventExecutor loop;

    /** Runs timers on {@code loop}. */
    public EventLoopScheduler(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> future = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }
}
