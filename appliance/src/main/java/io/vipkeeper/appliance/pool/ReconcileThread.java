package io.vipkeeper.appliance.pool;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that talks to the data plane, and the periodic run on it. Everything that reads
 * or changes the reconcile state runs here, so that state needs no locks; the periodic run is
 * also the retry of whatever failed (a kernel without IPVS, a refused change).
 */
final class ReconcileThread {
    private final ScheduledExecutorService executor;
    private ScheduledFuture<?> periodic;

    /** A daemon thread named {@code name} (thread dumps and log lines show it). */
    ReconcileThread(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on the thread later; returns at once. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** Runs {@code task} on the thread and waits for its result (an exception comes back wrapped). */
    <T> T call(Callable<T> task) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, executor).join();
    }

    /** Runs {@code run} every {@code interval} from now on, instead of the earlier schedule (on the thread). */
    void every(Duration interval, Runnable run) {
        if (periodic != null) {
            periodic.cancel(false);
        }
        long every = interval.toNanos();
        periodic = executor.scheduleWithFixedDelay(run, every, every, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code last} on the thread after what is queued, then stops it (waits up to five seconds). */
    void close(Runnable last) {
        executor.execute(last);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
