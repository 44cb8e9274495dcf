package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.Durations;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.health.HealthView;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.script.ProcessRunner;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data plane's table (IPVS or nftables) equal to the config: reconciles at start, after every reload and
 * every {@code reconcile-interval}, logging each change (at start and reload as programming, later
 * as a drift repair). Owns only the services the config names; others are never touched. A kernel
 * without the engine or a refused change is logged and retried at the next run, never fatal.
 * Everything runs on one thread of its own ({@link ReconcileThread}), the only one that talks to
 * the engine. Its log lines start with the engine's name ("ipvs programmed: ...").
 * This class only sequences a run; its parts each do one job: {@link Pools} (policy),
 * {@link TableReconciler} (plan and drain), {@link EngineConnection} (open and retry),
 * {@link NatKeeper}, {@link SyncDaemonKeeper}, {@link TimeoutsKeeper}, {@link FailureLog} (log once), {@link ChangeLog}
 * and {@link ReconcileCounters} (status).
 */
public final class DataPlaneManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataPlaneManager.class);

    private final ReconcileThread thread;
    /** The engine's name, first word of its log lines ("ipvs", "nftables"). */
    private final String engine;
    private final EngineConnection<DataPlane> kernel;
    private final NatKeeper nat;
    private final SyncDaemonKeeper syncDaemon = new SyncDaemonKeeper();
    private final MovedFlowPickup movedFlows = new MovedFlowPickup();
    /** Whether the config has bgp VIPs (flows may arrive mid-connection); set before start and each apply. */
    private volatile boolean bgpVips;
    private final TimeoutsKeeper timeouts = new TimeoutsKeeper();
    private final FailureLog failureLog = new FailureLog();
    private final ReconcileCounters counters = new ReconcileCounters();
    private final Set<ServiceKey> formerlyOwned = new HashSet<>();
    /** What this and earlier runs own, kept on disk. */
    private final OwnedServices owned;
    /** The operator's runtime backend states, kept on disk. */
    private final RuntimeState runtime;
    /** The settings in force: the file's with the runtime backends merged in ({@link RuntimeBackends}). */
    private IpvsSettings settings;
    /** The file's settings, as the last start or reload gave them. */
    private IpvsSettings fileSettings;
    /** Told the settings in force whenever their backends change: the health monitor's apply. */
    private Consumer<IpvsSettings> checks = s -> { };
    /** The runtime backends in force, by virtual server (any thread). */
    private volatile Map<String, List<RealServer>> runtimeBackends = Map.of();
    /**
     * The table the pools want: built at each install, one service replaced per health change,
     * each time as a new map ({@link #want}).
     */
    private Map<ServiceKey, DesiredService> wanted = new LinkedHashMap<>();
    private TableReconciler reconciler;

    /** Health and quorum turned into destinations. */
    private final Pools pools;
    /**
     * The pool changed since the last run: the next run, whatever started it, applies health, not
     * drift. Set by the change that also queues a HEALTH run; later changes ride on that run.
     */
    private boolean healthPending;
    /** The runtime backends were installed while no engine was open: checked against it once one is. */
    private boolean engineCheckPending;

    /** A manager without health checks (every real server up), opening the kernel with {@code opener}. */
    public DataPlaneManager(Supplier<IpvsKernel> opener, NatSetup nat) {
        this(opener, nat, Map::of);
    }

    /** An IPVS manager (the sync daemon needs IPVS; any other engine runs without one). */
    public DataPlaneManager(Supplier<IpvsKernel> opener, NatSetup nat, HealthView healthView, OwnedServices owned) {
        this("ipvs", opener, nat, healthView, owned);
    }

    /**
     * A manager that opens the kernel interface with {@code opener} on its own thread and places
     * real servers by {@code healthView} (a server it does not list counts as up) and the health
     * changes given to {@link #health}.
     */
    public DataPlaneManager(Supplier<IpvsKernel> opener, NatSetup nat, HealthView healthView) {
        this(opener, nat, healthView, OwnedServices.NONE);
    }

    /**
     * A manager of the engine named {@code engine} that {@code opener} opens, keeping what it owns
     * in {@code owned} across restarts.
     */
    public DataPlaneManager(String engine, Supplier<? extends DataPlane> opener, NatSetup nat, HealthView healthView,
            OwnedServices owned) {
        this(engine, opener, nat, healthView, owned, RuntimeState.inMemory());
    }

    /** The same, with the operator's runtime backend states kept in {@code runtime}. */
    public DataPlaneManager(String engine, Supplier<? extends DataPlane> opener, NatSetup nat, HealthView healthView,
            OwnedServices owned, RuntimeState runtime) {
        this.engine = engine;
        this.runtime = runtime;
        this.thread = new ReconcileThread(engine);
        this.owned = owned;
        this.kernel = new EngineConnection<>(engine, opener);
        this.nat = new NatKeeper(nat);
        ExecutorService scripts = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pool-notify");
            t.setDaemon(true);
            return t;
        });
        this.pools = new Pools(healthView, new PoolNotify(new ProcessRunner(scripts)));
    }

    /**
     * Checks health with {@code monitor}: it is given the settings in force (the file's and the
     * runtime backends) at start, at reload and whenever a runtime backend is added or removed, so
     * a runtime backend is checked as the file's backends of its service are. Call before start.
     */
    public void checkWith(Consumer<IpvsSettings> monitor) {
        this.checks = monitor;
    }

    /**
     * Whether the config has bgp VIPs, so the routers may move flows here mid-connection and IPVS
     * must take them up ({@link MovedFlowPickup}). Call before {@link #start} and each {@link #apply}.
     */
    public void bgpVips(boolean any) {
        bgpVips = any;
    }

    /** Programs {@code s} now (waits for the first run) and keeps it so every reconcile interval. */
    public void start(IpvsSettings s) {
        thread.call(() -> {
            // Services an earlier run owned that the config no longer names: ours to delete.
            formerlyOwned.addAll(owned.load());
            formerlyOwned.removeAll(keys(s));
            runtime.load();
            install(s);
            long before = counters.changes();
            reconcile(ReconcileRun.START);
            if (kernel.current().isPresent()) {
                log.info("{}: {} virtual server(s) in the kernel after {} change(s) at start, in {} ms",
                        engine, s.virtualServers().size(), counters.changes() - before, counters.lastRunNanos() / 1_000_000);
            }
            return null;
        });
    }

    /** A reload: services the new settings drop are deleted, the rest reconciled at once. */
    public void apply(IpvsSettings s) {
        thread.call(() -> {
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
        thread.call(() -> {
            reconcile(ReconcileRun.PERIODIC);
            return null;
        });
    }

    private void install(IpvsSettings s) {
        if (reconciler == null || !s.drainTimeout().equals(settings.drainTimeout())) {
            reconciler = new TableReconciler(s.drainTimeout());
        }
        fileSettings = s;
        runtime.retain(s).forEach(d -> log.warn("runtime state dropped: {}", d));
        Optional<DataPlane> open = kernel.current();
        if (open.isPresent()) {
            dropEngineConflicts(open.get());
        } else {
            engineCheckPending = true;
        }
        regroup();
        thread.every(s.reconcileInterval(), () -> reconcile(ReconcileRun.PERIODIC));
    }

    /**
     * The runtime backends the engine {@code k} cannot program beside the file's backends of their
     * service, if any. A reload refuses them before it gets here ({@link #runtimeConflicts}); a
     * start (the file edited while the daemon was stopped) or an order that came between that
     * check and the reload cannot be refused, so they are dropped, each logged as retain's drops
     * are, rather than merged in for the engine to refuse the file's new backends at every run.
     *
     * @return whether one was dropped
     */
    private boolean dropEngineConflicts(DataPlane k) {
        engineCheckPending = false;
        List<RuntimeBackends.Conflict> conflicts = RuntimeBackends.conflicts(fileSettings, runtime.added(),
                k.capabilities());
        for (RuntimeBackends.Conflict c : conflicts) {
            log.warn("runtime state dropped: {}", c.dropped());
            runtime.drop(c.virtualServer(), c.backend());
        }
        return !conflicts.isEmpty();
    }

    /**
     * Why {@code next} (a reload's file settings) cannot run with this node's runtime backends,
     * one line per runtime backend the engine could not program beside the new file's backends of
     * its service, empty when it can (or no engine is open yet: a start checks when one opens).
     * The reload is refused on any: a bad reload changes nothing.
     */
    public List<String> runtimeConflicts(IpvsSettings next) {
        return thread.call(() -> RuntimeBackends.conflicts(next, runtime.added(),
                kernel.current().map(DataPlane::capabilities).orElse(null)).stream()
                .map(RuntimeBackends.Conflict::refusal).toList());
    }

    /** The file's settings and the runtime backends, to the health monitor and the pools. */
    private void regroup() {
        settings = RuntimeBackends.merge(fileSettings, runtime.added());
        checks.accept(settings);
        wanted = pools.install(settings, runtime);
        Map<String, List<RealServer>> added = new LinkedHashMap<>();
        runtime.added().forEach((vs, keys) -> {
            VirtualServer v = settings.virtualServers().get(vs);
            if (v != null) {
                added.put(vs, v.realServers().stream().filter(rs -> keys.containsKey(rs.key())).toList());
            }
        });
        runtimeBackends = Map.copyOf(added);
    }

    /**
     * Replaces one service in the desired table by a new map, never in place: the reconciler
     * skips planning a run handed the same map objects as the last run that found nothing to do.
     */
    private void want(DesiredService d) {
        Map<ServiceKey, DesiredService> next = new LinkedHashMap<>(wanted);
        next.put(d.spec().key(), d);
        wanted = next;
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
            want(d);
            if (!healthPending) {
                healthPending = true;
                thread.execute(() -> reconcile(ReconcileRun.HEALTH));
            }
        }));
    }

    /**
     * Carries out an operator's runtime order for a backend (from the control socket's thread; waits
     * for it): checks it, writes the new state to the state directory, and runs one reconcile so the
     * kernel holds it when this returns. Orders run one at a time on the data plane's thread, so
     * concurrent ones serialize. {@code who} says who gave it, for the log.
     *
     * @throws BackendRefusal naming what is wrong; nothing changed
     */
    public BackendChange backend(String virtualServer, String backend, BackendOrder order, Integer weight, String who)
            throws BackendRefusal {
        if ((order == BackendOrder.WEIGHT || order == BackendOrder.ADD && weight != null) && (weight == null || weight < 0 || weight > BackendAdmin.MAX_WEIGHT)) {
            throw new BackendRefusal(BackendRefusal.Reason.BAD_REQUEST, "weight " + (weight == null ? "missing" : weight)
                    + ": give an integer 0.." + BackendAdmin.MAX_WEIGHT);
        }
        Object[] outcome = thread.call(() -> {
            try {
                return new Object[] {order(virtualServer, backend, order, weight, who)};
            } catch (BackendRefusal r) {
                return new Object[] {r};
            }
        });
        if (outcome[0] instanceof BackendRefusal r) {
            throw r;
        }
        return (BackendChange) outcome[0];
    }

    private BackendChange order(String vsName, String backend, BackendOrder order, Integer weight, String who)
            throws BackendRefusal {
        io.vipkeeper.appliance.config.VirtualServer vs = settings == null ? null : settings.virtualServers().get(vsName);
        if (vs == null) {
            throw new BackendRefusal(BackendRefusal.Reason.UNKNOWN_VIRTUAL_SERVER, "no virtual server " + vsName
                    + " in the config" + (settings == null || settings.virtualServers().isEmpty() ? ""
                    : " (it has " + String.join(", ", settings.virtualServers().keySet()) + ")"));
        }
        if (order == BackendOrder.ADD || order == BackendOrder.REMOVE) {
            BackendChange c = order == BackendOrder.ADD
                    ? RuntimeBackendOrders.add(runtime, vs, backend, weight == null ? RuntimeBackends.DEFAULT_WEIGHT : weight, who,
                            kernel.current().map(DataPlane::capabilities).orElse(null))
                    : RuntimeBackendOrders.remove(runtime, vs, backend, settings.drainTimeout(), who);
            regroup();
            reconcile(ReconcileRun.ADMIN);
            return c;
        }
        io.vipkeeper.appliance.config.RealServer rs = BackendLookup.find(vs, backend);
        String origin = runtime.isAdded(vsName, rs.key()) ? RuntimeState.RUNTIME : "config";
        BackendAdmin before = runtime.get(vsName, rs.key());
        BackendAdmin after = order.apply(before, weight);
        BackendChange change = new BackendChange(vsName, rs.identity(), before, after, rs.weight(), origin);
        if (!change.changed()) {
            log.info("backend {} {}: {} by {}: already {}", vsName, rs.identity(), order.label(), who, after.describe());
            return change;
        }
        RuntimeBackendOrders.saved(() -> runtime.set(vsName, rs.key(), after));
        log.info("backend {} {}: {} by {}: {} -> {} (runtime state of this node)", vsName, rs.identity(), order.label(),
                who, before.describe(), after.describe());
        pools.admin(vsName, rs.key(), after).ifPresent(this::want);
        reconcile(ReconcileRun.ADMIN);
        return change;
    }

    /** The runtime backends in force ({@code vipkeeper backend add}), by virtual server (any thread). */
    public Map<String, List<RealServer>> runtimeBackends() {
        return runtimeBackends;
    }

    /** The operator's runtime backend states now, by virtual server and backend (any thread). */
    public java.util.Map<String, java.util.Map<BackendKey, BackendAdmin>> runtimeStates() {
        return runtime.view();
    }

    /** Pool decisions so far (a real server in or out, a quorum lost or gained). */
    public long poolChanges() {
        return pools.changes();
    }

    /** Whether each virtual server holds its quorum, by name (a snapshot taken on the ipvs thread). */
    public Map<String, Boolean> quorums() {
        return thread.call(pools::quorums);
    }

    /** Completes when the notify programs queued so far have run (tests). */
    CompletableFuture<?> notifyIdle() {
        return pools.notifyIdle();
    }

    private void reconcile(ReconcileRun why) {
        if (why == ReconcileRun.HEALTH && !healthPending) {
            return;
        }
        failureLog.startRun();
        if (why == ReconcileRun.PERIODIC && healthPending) {
            why = ReconcileRun.HEALTH;
        }
        healthPending = false;
        try {
            reconcileOnce(why);
        } finally {
            failureLog.endRun();
        }
    }

    private void reconcileOnce(ReconcileRun why) {
        try {
            counters.run();
            Optional<DataPlane> open = kernel.open(settings.reconcileInterval(), counters);
            if (open.isEmpty()) {
                return;
            }
            DataPlane k = open.get();
            if (engineCheckPending && dropEngineConflicts(k)) {
                regroup();
            }
            if (why != ReconcileRun.PERIODIC) {
                k.readWholeNext();
            }
            long t0 = System.nanoTime();
            Map<ServiceKey, ActualService> actual = k.table();
            counters.tableRead(actual);
            long dumped = System.nanoTime();
            // After the dump: a draining real server keeps its masquerade rule while in the kernel.
            nat.reconcile(settings, actual, why, failureLog, counters);
            if (k instanceof IpvsKernel ipvs) {
                syncDaemon.reconcile(settings, ipvs);
                beside("flows moved here mid-connection by the routers break", () -> movedFlows.keep(bgpVips, engine));
                beside("the connection timeouts stay as the kernel has them", () -> timeouts.reconcile(settings, ipvs, why));
            }
            List<TableChange> ops = reconciler.plan(wanted, actual, formerlyOwned, System.nanoTime(), k.capabilities());
            formerlyOwned.retainAll(actual.keySet());
            Set<ServiceKey> ours = new LinkedHashSet<>(keys(settings));
            ours.addAll(formerlyOwned);
            owned.save(ours);
            long planned = System.nanoTime();
            List<DataPlane.Failure> refused = ops.isEmpty() ? List.of() : k.apply(ops);
            long acked = System.nanoTime();
            counters.ranFor(acked - t0);
            log.debug("{}: dump {} ms, plan {} ms, {} change(s) {} ms", engine, (dumped - t0) / 1_000_000,
                    (planned - dumped) / 1_000_000, ops.size(), (acked - planned) / 1_000_000);
            if (ops.isEmpty()) {
                return;
            }
            ChangeLog.log(engine, ops, refusedOnes(refused), why, counters);
            if (why != ReconcileRun.PERIODIC && refused.isEmpty()) {
                // Status shows the table as this run read it, before its changes: a run queued
                // behind it (an order returns first) reads it again, so status shows a start, a
                // reload, a health change or an order in the kernel at once, not a reconcile
                // interval later. Not after a periodic run nor after a refusal: a change the
                // kernel keeps refusing would otherwise be retried back to back.
                thread.execute(() -> reconcile(ReconcileRun.PERIODIC));
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            // A run that ran out of heap (a table or a conntrack dump larger than the heap) has
            // unwound: what it held is garbage now. Counted and retried like any failed run, so
            // the loop lives on and /healthz names the failure instead of "runs are not finishing".
            counters.runFailed("reconcile failed: " + (e instanceof OutOfMemoryError ? e.toString() : e.getMessage()));
            log.error("{}: reconcile failed, retrying in {}: {}", engine,
                    Durations.format(settings.reconcileInterval()), e.getMessage());
            kernel.close();
        }
    }

    /**
     * A job beside the table (sloppy pickup, timeouts): a failure is counted and logged once while
     * it lasts, saying what it costs, and the run goes on (the table matters more).
     */
    private void beside(String cost, Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            counters.failed();
            if (failureLog.firstReport(e.getMessage())) {
                log.error("{}: {} ({}; retried every {})", engine, e.getMessage(), cost,
                        Durations.format(settings.reconcileInterval()));
            }
        }
    }

    /** Counts and logs the refused changes (each failure once while it lasts); returns them. */
    private Set<TableChange> refusedOnes(List<DataPlane.Failure> refused) {
        Set<TableChange> failed = new HashSet<>();
        for (DataPlane.Failure f : refused) {
            failed.add(f.op());
            counters.failed();
            if (failureLog.firstReport(f.error().getMessage())) {
                log.error("{}: {} failed (retried every {}); {}", engine, TableChange.describe(f.op()),
                        Durations.format(settings.reconcileInterval()), f.op().reason());
            } else {
                log.debug("{}: {} failed again: {}", engine, TableChange.describe(f.op()), f.error().getMessage());
            }
        }
        return failed;
    }

    /**
     * A VRRP instance changed state; called on the VRRP loop, so it only hands the news over. The
     * sync daemon turns master when its instance is MASTER and backup otherwise, at once.
     */
    public void vrrpState(String instance, boolean master) {
        thread.execute(() -> {
            if (syncDaemon.vrrpState(settings, instance, master)) {
                kernel.current().filter(IpvsKernel.class::isInstance).ifPresent(k -> {
                    try {
                        syncDaemon.reconcile(settings, (IpvsKernel) k);
                    } catch (RuntimeException e) {
                        counters.failed();
                        log.error("ipvs: sync daemon: {}", e.getMessage());
                    }
                });
            }
        });
    }

    /**
     * The loop's status for the API: the kernel's table as the last run saw it, with connection
     * and traffic counters (as of the last run: in a large table up to 10 runs old, where the engines refresh them every 10th run), why the last run failed if it
     * did (the kernel's IPVS interface could not be opened, or the run broke off; refused changes
     * are counted in failures instead, since the kernel was reachable), and the run counters.
     */
    public DataPlaneStatus status() {
        return counters;
    }

    /** Stops reconciling; the kernel's table stays as it is (a restart adopts it without a change). */
    @Override
    public void close() {
        thread.close(() -> {
            nat.remove();
            kernel.close();
        });
    }
}
