package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one thread that talks rtnetlink to the kernel, with its socket: requests are serialized
 * and VRRP never blocks on them (appliance/DESIGN.md, "Threads").
 */
public final class KernelExecutor implements Executor, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netlink");
        t.setDaemon(true);
        return t;
    });
    private NetlinkSocket route;

    /** Opens the rtnetlink socket on the executor thread (in the process's network namespace). */
    public KernelExecutor() {
        call(ignored -> {
            route = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 5000);
            return null;
        });
    }

    @Override
    public void execute(Runnable task) {
        thread.execute(task);
    }

    /** Runs {@code f} with the route socket on the kernel thread and waits for its result. */
    public <T> T call(Function<NetlinkSocket, T> f) {
        return CompletableFuture.supplyAsync(() -> f.apply(route), thread).join();
    }

    /** Runs queued work, then closes the socket. */
    @Override
    public void close() {
        thread.execute(() -> {
            if (route != null) {
                route.close();
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
