package io.vipkeeper.vrrp.fsm;

/** The clock and timers a virtual router runs on: an event loop, or a virtual clock in tests. */
public interface VrrpScheduler {
    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on the router's thread after {@code delayNanos}. */
    Timer schedule(Runnable task, long delayNanos);

    /**
     * Like {@link #schedule}, for a deadline where a fraction of a millisecond counts and that
     * fires rarely: the Master_Down timer (it fires at most once per takeover). An event loop may
     * spend up to a millisecond of CPU to run it on time. {@code approach} runs first, up to about
     * a millisecond before {@code task}, so the task's path can be made ready; a timer cancelled
     * in that last stretch has run {@code approach} only.
     */
    default Timer scheduleOnTime(Runnable approach, Runnable task, long delayNanos) {
        return schedule(() -> {
            approach.run();
            task.run();
        }, delayNanos);
    }

    /** Whether the caller is on the scheduler's thread. */
    boolean inEventLoop();

    /** Runs {@code task} on the router's thread as soon as possible. */
    void execute(Runnable task);

    /** A scheduled task that can be cancelled. */
    interface Timer {
        /** Cancels the task if it has not run; idempotent. */
        void cancel();
    }
}
