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

    /** Long timers fire this much early at most and finish with a short, precise one. */
    private static final long COARSE_LIMIT_NANOS = 50_000_000L;

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        // Netty's epoll timers were seen to fire about 0.1% late (3.8 ms on a 3.6 s
        // Master_Down_Interval); a long delay is split so the final stretch is short.
        PreciseTimer t = new PreciseTimer(() -> { }, task, System.nanoTime() + delayNanos, 0);
        t.arm();
        return t;
    }

    /**
     * The last {@link #SPIN_NANOS} are waited out on the loop: Netty's epoll timers fire 0.2-0.3 ms
     * late even for short delays (measured on these machines), keepalived's timerfd ~0.05 ms.
     */
    @Override
    public Timer scheduleOnTime(Runnable approach, Runnable task, long delayNanos) {
        PreciseTimer t = new PreciseTimer(approach, task, System.nanoTime() + delayNanos, SPIN_NANOS);
        t.arm();
        return t;
    }

    /** How long before an on-time deadline the loop starts waiting for it actively. */
    static final long SPIN_NANOS = 1_000_000L;

    private final class PreciseTimer implements Timer {
        private final Runnable approach;
        private final Runnable task;
        private final long deadline;
        private volatile ScheduledFuture<?> future;
        private volatile boolean cancelled;
        private final long spinNanos;

        PreciseTimer(Runnable approach, Runnable task, long deadline, long spinNanos) {
            this.approach = approach;
            this.task = task;
            this.deadline = deadline;
            this.spinNanos = spinNanos;
        }

        void arm() {
            long remaining = deadline - System.nanoTime();
            if (remaining > COARSE_LIMIT_NANOS) {
                long early = Math.min(remaining / 100 + 2_000_000L, COARSE_LIMIT_NANOS / 2);
                future = loop.schedule(this::arm, remaining - early, TimeUnit.NANOSECONDS);
            } else {
                future = loop.schedule(this::fire, Math.max(0, remaining - spinNanos), TimeUnit.NANOSECONDS);
            }
        }

        private void fire() {
            if (cancelled) {
                return;
            }
            approach.run();
            // Nothing else can cancel meanwhile: cancellation happens on this loop too.
            while (deadline - System.nanoTime() > 0) {
                Thread.onSpinWait();
            }
            task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
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
