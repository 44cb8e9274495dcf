package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The nftables engine on a thread of its own inside a lab node's namespace (libnftables programs
 * the calling thread's namespace), driven through the shared {@link TableReconciler} as the
 * daemon drives it. Closing closes the engine on that thread and ends the thread.
 */
final class NftEngineThread implements AutoCloseable {
    private final ExecutorService thread;
    private final DataPlane engine;
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(1));

    private NftEngineThread(ExecutorService thread) throws Exception {
        this.thread = thread;
        try {
            this.engine = call(NftablesDataPlane::new);
        } catch (Exception | Error e) {
            thread.shutdownNow();
            throw e;
        }
    }

    /** An engine in namespace {@code ns}. */
    static NftEngineThread start(String ns) throws Exception {
        return new NftEngineThread(Executors.newSingleThreadExecutor(NamespaceThreads.factory(ns, "nft")));
    }

    DataPlane engine() {
        return engine;
    }

    /** Runs {@code task} on the engine's thread. */
    <T> T call(Callable<T> task) throws Exception {
        return thread.submit(task).get(30, TimeUnit.SECONDS);
    }

    /** The engine's table as it reads it now. */
    Map<ServiceKey, ActualService> table() {
        try {
            return call(engine::table);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What the reconciler would change to reach {@code want}, deleting {@code formerlyOwned} services it no longer has. */
    List<TableChange> plan(Map<ServiceKey, DesiredService> want, Set<ServiceKey> formerlyOwned) {
        return reconciler.plan(want, table(), formerlyOwned, System.nanoTime());
    }

    /** One reconcile run: dump, plan, apply; fails on a refused change. */
    void reconcile(Map<ServiceKey, DesiredService> want, Set<ServiceKey> formerlyOwned) throws Exception {
        List<TableChange> ops = plan(want, formerlyOwned);
        assertEquals(List.of(), call(() -> engine.apply(ops)));
    }

    @Override
    public void close() throws Exception {
        try {
            call(() -> {
                engine.close();
                return null;
            });
        } finally {
            thread.shutdownNow();
        }
    }
}
