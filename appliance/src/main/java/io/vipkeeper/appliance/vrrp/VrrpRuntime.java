package io.vipkeeper.appliance.vrrp;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vipkeeper.appliance.config.IpPrefix;
import io.vipkeeper.appliance.config.VrrpSettings;
import io.vipkeeper.appliance.script.ProcessRunner;
import io.vipkeeper.vrrp.fsm.EventLoopScheduler;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.linux.LinuxWarmup;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP side of the daemon: a dedicated event loop thread for packets and timers (nothing else
 * runs there), the kernel executor, script threads, and the {@link VrrpService} on top.
 */
public final class VrrpRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpRuntime.class);
    /** glibc's mallopt parameter M_ARENA_MAX (malloc.h). */
    private static final int M_ARENA_MAX = -8;
    /**
     * How long a stop waits for handovers and queued notify scripts (each instance runs at most one
     * and keeps one waiting); within systemd's 90 s stop timeout.
     */
    private static final long SHUTDOWN_WAIT_SECONDS = 75;

    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final KernelExecutor kernel;
    private final ExecutorService scriptThreads;
    private final ScheduledExecutorService scriptTimer;
    private final LinuxPlatform platform;
    private final VrrpService service;
    private final Maintenance maintenance;
    private final MaintenanceOrders orders;

    /** Starts the threads, with maintenance kept in memory only; nothing runs until {@link #start}. */
    public VrrpRuntime(VrrpSettings settings) {
        this(settings, Maintenance.inMemory());
    }

    /** Starts the threads, keeping the instances in maintenance in {@code kept}; nothing runs until {@link #start}. */
    public VrrpRuntime(VrrpSettings settings, Maintenance.Store kept) {
        // glibc gives each thread that mallocs its own 64 MB arena; a few dozen JVM threads made
        // resident memory grow by tens of MB. Two arenas are plenty for vipkeeper.
        io.vipkeeper.vrrp.linux.Native.LIBC.mallopt(M_ARENA_MAX, 2);
        long warm = System.nanoTime();
        LinuxWarmup.run();
        LOG.debug("warm-up took {} ms", (System.nanoTime() - warm) / 1_000_000);
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vrrp", true, Thread.MAX_PRIORITY),
                EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
        kernel = new KernelExecutor();
        scriptThreads = Executors.newCachedThreadPool(new DefaultThreadFactory("vrrp-script", true));
        scriptTimer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("vrrp-script-timer", true));
        EventLoopScheduler scheduler = new EventLoopScheduler(loop);
        platform = new LinuxPlatform(loop, scheduler, kernel, VrrpService.vips(settings));
        service = new VrrpService(platform, scheduler, new ProcessRunner(scriptThreads), scriptTimer);
        maintenance = new Maintenance(kept);
        maintenance.retain(settings);
        service.useMaintenance(maintenance);
        orders = new MaintenanceOrders(maintenance, service, this::onLoop);
    }

    /**
     * Puts VRRP instance {@code instance} (with its sync group) in the operator's maintenance or
     * takes it out, kept across restarts; waits for a master's graceful resignation. {@code who}
     * names the asker for the log. Call off the VRRP loop.
     *
     * @throws MaintenanceRefusal when it cannot be done; nothing changed
     */
    public MaintenanceChange maintenance(String instance, boolean on, boolean force, String who)
            throws MaintenanceRefusal {
        return orders.order(instance, on, force, who);
    }

    /** Told about every transition, on the VRRP loop: must not block (call before start). */
    public void addTransitionListener(io.vipkeeper.vrrp.fsm.TransitionListener listener) {
        onLoop(() -> {
            service.addTransitionListener(listener);
            return null;
        });
    }

    /** Starts every instance (on the VRRP loop) and waits until they run. */
    public void start(VrrpSettings settings) {
        onLoop(() -> {
            service.start(settings);
            return null;
        });
    }

    /** Applies a reloaded vrrp section on the loop, as {@code plan} says. */
    public VrrpReloadPlan apply(VrrpSettings next, VrrpReloadPlan plan) {
        maintenance.retain(next);
        return onLoop(() -> service.apply(next, plan));
    }

    /** What was dropped on receive that no instance owns. */
    public io.vipkeeper.vrrp.fsm.ReceiveCounters receiveCounters() {
        return onLoop(service::receiveCounters);
    }

    /** The routers by instance name (read-only use from other threads). */
    public Map<String, VirtualRouter> routers() {
        return onLoop(service::routers);
    }

    private <T> T onLoop(Callable<T> task) {
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the VRRP loop did not answer within 30 s", e);
        }
    }

    /**
     * Stops every instance (masters send priority 0 and hand over), waits for the handovers, the
     * queued notify scripts and the address removals, and stops the threads.
     */
    @Override
    public void close() {
        try {
            var stopped = onLoop(service::stop);
            stopped.get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            onLoop(() -> null); // address removals run on the loop: let queued ones finish
        } catch (Exception e) {
            LOG.warn("VRRP shutdown incomplete: {}", e.toString());
        } finally {
            platform.close();
            kernel.close();
            scriptTimer.shutdownNow();
            scriptThreads.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
