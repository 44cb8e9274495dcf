package io.vipkeeper.appliance.script;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Delivers notifications (of one VRRP instance, or one real server) one at a time and in order,
 * keeping at most one waiting: when the program falls behind, a newer notification replaces the
 * waiting one, which is handed to {@code skipped}. So the queue is bounded, what is delivered stays
 * in order, and the last delivery is the latest state. Thread-safe; never blocks the caller.
 *
 * @param <T> a notification
 */
public final class NotifyQueue<T> {
    private final Function<T, CompletableFuture<?>> deliver;
    private final BiConsumer<T, T> skipped;
    private boolean busy;
    private T waiting;
    private CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);

    /**
     * @param deliver runs one notification; the future completes when it is done (failed or not)
     * @param skipped told (dropped, newer) for each notification dropped unrun
     */
    public NotifyQueue(Function<T, CompletableFuture<?>> deliver, BiConsumer<T, T> skipped) {
        this.deliver = deliver;
        this.skipped = skipped;
    }

    /** Delivers {@code item} now if nothing runs, else after the running one, in place of any waiting one. */
    public synchronized void offer(T item) {
        if (!busy) {
            busy = true;
            idle = new CompletableFuture<>();
            start(item);
            return;
        }
        if (waiting != null) {
            skipped.accept(waiting, item);
        }
        waiting = item;
    }

    /** Completes when everything offered so far has been delivered or skipped. */
    public synchronized CompletableFuture<?> idle() {
        return idle;
    }

    private void start(T item) {
        CompletableFuture<?> run;
        try {
            run = deliver.apply(item);
        } catch (RuntimeException e) {
            run = CompletableFuture.failedFuture(e);
        }
        run.whenComplete((r, e) -> next());
    }

    private void next() {
        CompletableFuture<Void> drained;
        synchronized (this) {
            if (waiting != null) {
                T item = waiting;
                waiting = null;
                start(item);
                return;
            }
            busy = false;
            drained = idle;
        }
        drained.complete(null);
    }
}
