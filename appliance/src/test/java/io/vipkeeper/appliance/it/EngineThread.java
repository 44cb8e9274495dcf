package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.dataplane.DataPlane;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A data plane engine's thread in a lab namespace: the engine is made, used and closed on it, as
 * the daemon uses one engine from one thread, so its netlink and nft contexts live in that namespace.
 */
final class EngineThread {
    private EngineThread() {
    }

    /** Runs {@code task} on {@code thread} and waits up to 30 s for it. */
    static <T> T call(ExecutorService thread, Callable<T> task) throws Exception {
        return thread.submit(task).get(30, TimeUnit.SECONDS);
    }

    /**
     * Closes {@code engine} on {@code thread}, stops the thread and closes the lab, each also when
     * the one before failed; a null engine or thread was never started.
     */
    static void close(ExecutorService thread, DataPlane engine, Lab lab) throws Exception {
        try {
            if (engine != null) {
                call(thread, () -> {
                    engine.close();
                    return null;
                });
            }
        } finally {
            if (thread != null) {
                thread.shutdownNow();
            }
            lab.close();
        }
    }
}
