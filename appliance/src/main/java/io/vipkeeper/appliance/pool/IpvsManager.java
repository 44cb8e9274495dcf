package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.config.Durations;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.appliance.health.HealthView;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.script.ProcessRunner;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel's IPVS table equal to the config: reconciles at start, after every reload and
 * every {@code reconcile-interval}, logging each change (at start and reload as programming, later
 * as a drift repair). Owns only the services the config names; others are never touched. A kernel
 * without IPVS or a refused change is logged and retried at the next run, never fatal. Everything
 * runs on one thread of its own, the only one that talks IPVS netlink.
 */
public final class IpvsManager implements DataPlaneStatus, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IpvsManager.class);

    private final Supplier<IpvsKernel> opener;
    private final NatSetup nat;
    private final ScheduledExecutorService thread;
    private final Set<ServiceKey> formerlyOwned = new HashSet<>();
    /** What this and earlier runs own, kept on disk. */
    private final OwnedServices owned;
    /** Failures logged at error level while they last; one that goes away and comes back is logged again. */
    private final Set<String> reportedFailures = new HashSet<>();
    /** The failures of the run in progress. */
    private final Set<String> failuresThisRun = new HashSet<>();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong repairs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private IpvsKernel kernel;
    private String kernelError = "";
    /** Why the last run could not read or program the kernel; null after a run that could. */
    private volatile String lastError;
    private IpvsSettings settings;
    /** The table the pools want: built at each install, one service replaced per health change. */
    private Map<ServiceKey, DesiredService> wanted = new LinkedHashMap<>();
    private TableReconciler reconciler;
    private ScheduledFuture<?> periodic;
    private final SyncDaemonKeeper syncDaemon = new SyncDaemonKeeper();
    /** Changes in one run above which the log gets one line per service. */
    static final int SUMMARIZE_ABOVE = 50;
    /** Dump, plan and apply of the last run, to the last ACK. */
    private volatile long lastRunNanos;
    /** The kernel's table as the last run dumped it (with counters), for status; null before one. */
    private volatile Map<ServiceKey, ActualService> lastTable;
    /** When {@code lastTable} was dumped. */
    private volatile java.time.Instant lastTableAt;

    /** Health and quorum turned into destinations. */
    private final Pools pools;
    /**
     * The pool changed since the last run: the next run, whatever started it, applies health, not
     * drift. Set by the change that also queues a HEALTH run; later changes ride on that run.
     */
    private boolean healthPending;

    /** A manager without health checks (every real server up), opening the kernel with {@code opener}. */
    public IpvsManager(Supplier<IpvsKernel> opener, NatSetup nat) {
        this(opener, nat, Map::of);
    }

    /**
     * A manager that opens the kernel interface with {@code opener} on its own thread and places
     * real servers by {@code healthView} (a server it does not list counts as up) and the health
     * changes given to {@link #health}.
     */
    public IpvsManager(Supplier<IpvsKernel> opener, NatSetup nat, HealthView healthView) {
        this(opener, nat, healthView, OwnedServices.NONE);
    }

    /** The same, keeping what it owns in {@code owned} across restarts. */
    public IpvsManager(Supplier<IpvsKernel> opener, NatSetup nat, HealthView healthView, OwnedServices owned) {
        this.owned = owned;
        this.opener = opener;
        this.nat = nat;
        java.util.concurrent.ExecutorService scripts = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pool-notify");
            t.setDaemon(true);
            return t;
        });
        this.pools = new Pools(healthView, new PoolNotify(new ProcessRunner(scripts)));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ipvs");
            t.setDaemon(true);
            return t;
        });
    }

    /** Programs {@code s} now (waits for the first run) and keeps it so every reconcile interval. */
    public void start(IpvsSettings s) {
        call(() -> {
            // Services an earlier run owned that the config no longer names: ours to delete.
            formerlyOwned.addAll(owned.load());
            formerlyOwned.removeAll(keys(s));
            install(s);
            long before = changes.get();
            reconcile(ReconcileRun.START);
            if (kernel != null) {
                log.info("ipvs: {} virtual server(s) in the kernel after {} change(s) at start, in {} ms",
                        s.virtualServers().size(), changes.get() - before, lastRunNanos / 1_000_000);
            }
            return null;
        });
    }

    /** A reload: services the new settings drop are deleted, the rest reconciled at once. */
    public void apply(IpvsSettings s) {
        call(() -> {
            Set<ServiceKey> dropped = new HashSet<>(keys(settings));
            dropped.removeAll(keys(s));
            formerlyOwned.addAll(dropped);
            formerlyOwned.removeAll(keys(s));
            install(s);
            reconcile(ReconcileRun.RELOAD);
            return null;
        });
    }

    /** Runs one reconcile now (tests, and the status API's refresh) and waits for it. */
    public void reconcileNow() {
        call(() -> {
            reconcile(ReconcileRun.PERIODIC);
            return null;
        });
    }

    private void install(IpvsSettings s) {
        if (reconciler == null || !s.drainTimeout().equals(settings.drainTimeout())) {
            reconciler = new TableReconciler(s.drainTimeout());
        }
        settings = s;
        wanted = pools.install(s);
        if (periodic != null) {
            periodic.cancel(false);
        }
        long every = s.reconcileInterval().toNanos();
        periodic = thread.scheduleWithFixedDelay(() -> reconcile(ReconcileRun.PERIODIC), every, every, TimeUnit.NANOSECONDS);
    }

    private static Set<ServiceKey> keys(IpvsSettings s) {
        Set<ServiceKey> keys = new HashSet<>();
        if (s != null) {
            s.virtualServers().values().forEach(vs -> keys.add(vs.key()));
        }
        return keys;
    }

    /**
     * A real server went up or down (from the health monitor's thread; returns at once). The pool
     * policy decides, logs each decision once, runs notify programs, and the kernel follows in one
     * reconcile run shared by the changes that arrive meanwhile.
     */
    public void health(String virtualServer, BackendKey realServer, boolean up, String reason) {
        thread.execute(() -> pools.health(virtualServer, realServer, up, reason).ifPresent(d -> {
            wanted.put(d.spec().key(), d);
            if (!healthPending) {
                healthPending = true;
                thread.execute(() -> reconcile(ReconcileRun.HEALTH));
            }
        }));
    }

    /** Pool decisions so far (a real server in or out, a quorum lost or gained). */
    public long poolChanges() {
        return pools.changes();
    }

    /** Whether each virtual server holds its quorum, by name (a snapshot taken on the ipvs thread). */
    public Map<String, Boolean> quorums() {
        return call(pools::quorums);
    }

    /** Completes when the notify programs queued so far have run (tests). */
    java.util.concurrent.CompletableFuture<?> notifyIdle() {
        return pools.notifyIdle();
    }

    private void reconcile(ReconcileRun why) {
        if (why == ReconcileRun.HEALTH && !healthPending) {
            return;
        }
        failuresThisRun.clear();
        if (why == ReconcileRun.PERIODIC && healthPending) {
            why = ReconcileRun.HEALTH;
        }
        healthPending = false;
        try {
            reconcileOnce(why);
        } finally {
            reportedFailures.retainAll(failuresThisRun);
        }
    }

    /** Whether {@code message} is new (to be logged at error level), noting it for this run. */
    private boolean firstReport(String message) {
        failuresThisRun.add(message);
        return reportedFailures.add(message);
    }

    private void reconcileOnce(ReconcileRun why) {
        try {
            runs.incrementAndGet();
            if (kernel == null && !openKernel()) {
                return;
            }
            long t0 = System.nanoTime();
            Map<ServiceKey, ActualService> actual = kernel.table();
            lastTable = actual;
            lastTableAt = java.time.Instant.now();
            long dumped = System.nanoTime();
            // After the dump: a draining real server keeps its masquerade rule while in the kernel.
            reconcileNat(why, actual);
            reconcileSyncDaemon();
            List<TableChange> ops = reconciler.plan(wanted, actual, formerlyOwned, System.nanoTime());
            formerlyOwned.retainAll(actual.keySet());
            Set<ServiceKey> ours = new java.util.LinkedHashSet<>(keys(settings));
            ours.addAll(formerlyOwned);
            owned.save(ours);
            long planned = System.nanoTime();
            List<DataPlane.Failure> refused = ops.isEmpty() ? List.of() : kernel.apply(ops);
            long acked = System.nanoTime();
            lastRunNanos = acked - t0;
            lastError = null;
            log.debug("ipvs: dump {} ms, plan {} ms, {} change(s) {} ms", (dumped - t0) / 1_000_000,
                    (planned - dumped) / 1_000_000, ops.size(), (acked - planned) / 1_000_000);
            if (ops.isEmpty()) {
                return;
            }
            Set<TableChange> failed = new HashSet<>();
            for (DataPlane.Failure f : refused) {
                failed.add(f.op());
                failures.incrementAndGet();
                if (firstReport(f.error().getMessage())) {
                    log.error("ipvs: {} failed (retried every {}); {}", TableChange.describe(f.op()),
                            Durations.format(settings.reconcileInterval()),
                            f.op().reason());
                } else {
                    log.debug("ipvs: {} failed again: {}", TableChange.describe(f.op()), f.error().getMessage());
                }
            }
            logChanges(ops, failed, why);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            lastError = "reconcile failed: " + e.getMessage();
            log.error("ipvs: reconcile failed, retrying in {}: {}",
                    Durations.format(settings.reconcileInterval()), e.getMessage());
            closeKernel();
        }
    }

    /**
     * A VRRP instance changed state; called on the VRRP loop, so it only hands the news over. The
     * sync daemon turns master when its instance is MASTER and backup otherwise, at once.
     */
    public void vrrpState(String instance, boolean master) {
        thread.execute(() -> {
            if (syncDaemon.vrrpState(settings, instance, master) && kernel != null) {
                try {
                    reconcileSyncDaemon();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    log.error("ipvs: sync daemon: {}", e.getMessage());
                }
            }
        });
    }

    private void reconcileSyncDaemon() {
        syncDaemon.reconcile(settings, kernel);
    }

    /**
     * One line per change; a large programming run (a first start, a big reload) logs one line per
     * service instead, with every change at debug. Drift repairs are always logged one by one.
     */
    private void logChanges(List<TableChange> ops, Set<TableChange> failed, ReconcileRun why) {
        boolean drift = why == ReconcileRun.PERIODIC;
        boolean summarize = !drift && (ops.size() > SUMMARIZE_ABOVE || why == ReconcileRun.HEALTH);
        Map<ServiceKey, int[]> perService = new LinkedHashMap<>();
        for (TableChange op : ops) {
            if (failed.contains(op)) {
                continue;
            }
            changes.incrementAndGet();
            if (drift) {
                repairs.incrementAndGet();
                log.warn("ipvs {}: {} ({})", why.label(), TableChange.describe(op), op.reason());
            } else if (summarize) {
                log.debug("ipvs {}: {} ({})", why.label(), TableChange.describe(op), op.reason());
                perService.computeIfAbsent(op.service(), k -> new int[1])[0]++;
            } else {
                log.info("ipvs {}: {} ({})", why.label(), TableChange.describe(op), op.reason());
            }
        }
        if (why == ReconcileRun.HEALTH) {
            return;
        }
        perService.forEach((service, n) -> log.info("ipvs {}: {} change(s) to {} (each at debug level)", why.label(),
                n[0], service));
    }

    /** NAT sysctls and rules first: a NAT service is only useful once the kernel forwards. */
    private void reconcileNat(ReconcileRun why, Map<ServiceKey, ActualService> inKernel) {
        try {
            nat.reconcile(settings, inKernel, why);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            if (firstReport(e.getMessage())) {
                log.error("nat: {} (retried every {})", e.getMessage(), Durations.format(settings.reconcileInterval()));
            }
        }
    }

    private boolean openKernel() {
        try {
            kernel = opener.get();
            if (!kernelError.isEmpty()) {
                log.info("ipvs: kernel interface available again");
            }
            kernelError = "";
            return true;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            if (!e.getMessage().equals(kernelError)) {
                log.error("ipvs: cannot program the kernel, retrying every {}: {}",
                        Durations.format(settings.reconcileInterval()), e.getMessage());
                kernelError = e.getMessage();
            }
            lastError = "cannot open the kernel's IPVS interface: " + e.getMessage();
            return false;
        }
    }

    private void closeKernel() {
        if (kernel != null) {
            kernel.close();
            kernel = null;
        }
    }

    /**
     * The kernel's table as the last reconcile run saw it, with connection and traffic counters
     * (at most {@code reconcile-interval} old; changes of that run are not in it). Empty before
     * the first successful dump.
     */
    @Override
    public java.util.Optional<Map<ServiceKey, ActualService>> lastTable() {
        return java.util.Optional.ofNullable(lastTable);
    }

    /** When {@link #lastTable()} was read from the kernel. */
    @Override
    public java.util.Optional<java.time.Instant> lastTableAt() {
        return java.util.Optional.ofNullable(lastTableAt);
    }

    /**
     * Why the last reconcile run failed: the kernel's IPVS interface could not be opened (no ip_vs
     * module, netlink refused) or the run broke off (a dump or a change that did not come back).
     * Empty after a run that read the table and sent its changes; refused changes are counted in
     * {@link #failures()}, not here, since the kernel was reachable.
     */
    @Override
    public java.util.Optional<String> lastError() {
        return java.util.Optional.ofNullable(lastError);
    }

    /** Reconcile runs so far. */
    @Override
    public long runs() {
        return runs.get();
    }

    /** Changes made to the kernel (programming and repairs). */
    @Override
    public long changes() {
        return changes.get();
    }

    /** Changes that repaired drift found by a periodic run. */
    @Override
    public long repairs() {
        return repairs.get();
    }

    /** Refused changes and failed runs. */
    @Override
    public long failures() {
        return failures.get();
    }

    private <T> T call(Callable<T> task) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, thread).join();
    }

    /** Stops reconciling; the kernel's table stays as it is (a restart adopts it without a change). */
    @Override
    public void close() {
        thread.execute(() -> {
            try {
                nat.remove();
            } catch (RuntimeException e) {
                log.error("nat: cannot remove table {}: {}", SnatRules.TABLE, e.getMessage());
            }
            closeKernel();
        });
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
