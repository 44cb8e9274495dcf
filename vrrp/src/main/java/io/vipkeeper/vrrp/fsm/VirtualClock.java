package io.vipkeeper.vrrp.fsm;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A deterministic single-threaded {@link VrrpScheduler} for tests and simulations: time moves only
 * when {@link #advance} is called, and tasks run in time order on the caller's thread.
 */
public final class VirtualClock implements VrrpScheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        Task t = new Task(now + Math.max(0, delayNanos), sequence++, task);
        queue.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public boolean inEventLoop() {
        return true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    /** Runs every task due within {@code d}, in time order, and ends at now + d. */
    public void advance(Duration d) {
        long end = now + d.toNanos();
        while (!queue.isEmpty() && queue.peek().at <= end) {
            Task t = queue.poll();
            now = t.at;
            if (!t.cancelled) {
                t.task.run();
            }
        }
        now = end;
    }

    /** {@link #advance} by {@code ms} milliseconds. */
    public void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    private static final class Task implements Comparable<Task> {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
