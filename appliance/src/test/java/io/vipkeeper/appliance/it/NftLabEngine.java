package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The nftables engine on a thread of its own inside a lab node's namespace (it programs the
 * namespace of the thread that calls it), for the engine's tests, and the HTTP probe they send
 * through it.
 */
final class NftLabEngine implements AutoCloseable {
    private final ExecutorService thread;
    private final DataPlane engine;

    private NftLabEngine(ExecutorService thread, DataPlane engine) {
        this.thread = thread;
        this.engine = engine;
    }

    /** An engine in namespace {@code ns}. */
    static NftLabEngine start(String ns) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(ns, "nft"));
        try {
            return new NftLabEngine(thread, thread.submit(NftablesDataPlane::new).get(30, TimeUnit.SECONDS));
        } catch (Exception | Error e) {
            thread.shutdownNow();
            throw e;
        }
    }

    DataPlane engine() {
        return engine;
    }

    /** Runs {@code task} on the engine's thread. */
    <T> T on(Callable<T> task) throws Exception {
        return thread.submit(task).get(30, TimeUnit.SECONDS);
    }

    /** The engine's table as it reads it now. */
    Map<ServiceKey, ActualService> table() {
        try {
            return on(engine::table);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** One reconcile run, as the daemon's: dump, plan with {@code reconciler}, apply; fails on a refused change. */
    void reconcile(TableReconciler reconciler, Map<ServiceKey, DesiredService> want, Set<ServiceKey> owned) throws Exception {
        List<TableChange> ops = reconciler.plan(want, table(), owned, System.nanoTime());
        List<DataPlane.Failure> failures = on(() -> engine.apply(ops));
        assertEquals(List.of(), failures);
    }

    @Override
    public void close() throws Exception {
        try {
            on(() -> {
                engine.close();
                return null;
            });
        } finally {
            thread.shutdownNow();
        }
    }

    /** The body of GET / from namespace {@code ns}, from its address {@code local} (null: the kernel's choice), or null. */
    static String get(String ns, String local, String address, int port) {
        try {
            return NamespaceThreads.call(ns, () -> {
                try (Socket s = new Socket()) {
                    if (local != null) {
                        s.bind(new InetSocketAddress(local, 0));
                    }
                    s.connect(new InetSocketAddress(address, port), 2000);
                    s.setSoTimeout(2000);
                    OutputStream out = s.getOutputStream();
                    out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                    int body = response.indexOf("\r\n\r\n");
                    return body < 0 ? null : response.substring(body + 4).strip();
                }
            });
        } catch (Exception e) {
            return null;
        }
    }
}
