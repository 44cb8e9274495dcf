package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.IpPrefix;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.appliance.config.VrrpScript;
import io.vipkeeper.appliance.config.VrrpSettings;
import io.vipkeeper.appliance.script.ProcessRunner;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.SyncGroup;
import io.vipkeeper.vrrp.fsm.TransitionListener;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code vrrp} section: one virtual router per instance, endpoints shared per interface,
 * link and script tracking, sync groups and notify scripts. Every method runs on the VRRP loop
 * (the scheduler's thread).
 */
public final class VrrpService {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpService.class);
    private static final String TRACK_SCRIPT = "track-script ";

    private final VrrpPlatform platform;
    private final VrrpScheduler scheduler;
    private final ProcessRunner runner;
    private final ScheduledExecutorService scriptTimer;
    private final Map<String, VrrpInstanceRuntime> instances = new LinkedHashMap<>();
    private final VrrpEndpoints endpoints;
    private final Map<String, TrackScript> scripts = new LinkedHashMap<>();
    private final InstanceTracking tracking;
    private VrrpSettings current = new VrrpSettings(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    private boolean watching;
    private final List<TransitionListener> transitionListeners = new ArrayList<>();
    /** The operator's maintenance: routers of these instances start in it (after a restart or reload). */
    private Maintenance maintenance = new Maintenance(Maintenance.inMemory());

    /** A service that has not started anything yet. */
    public VrrpService(VrrpPlatform platform, VrrpScheduler scheduler, ProcessRunner runner,
            ScheduledExecutorService scriptTimer) {
        this.platform = platform;
        this.scheduler = scheduler;
        this.runner = runner;
        this.scriptTimer = scriptTimer;
        this.tracking = new InstanceTracking(scheduler, instances::values, () -> current);
        this.endpoints = new VrrpEndpoints(platform, scheduler);
    }

    /** Where the instances in maintenance are kept (call before start). */
    void useMaintenance(Maintenance kept) {
        this.maintenance = kept;
    }

    /** The vrrp section in force. */
    VrrpSettings settings() {
        return current;
    }

    /**
     * Puts the routers of {@code names} in maintenance or takes them out (see
     * {@link VirtualRouter#setMaintenance}); the results complete when each resignation ended.
     */
    List<CompletableFuture<io.vipkeeper.vrrp.fsm.Resignation>> setMaintenance(List<String> names, boolean on,
            boolean force) {
        List<CompletableFuture<io.vipkeeper.vrrp.fsm.Resignation>> results = new ArrayList<>();
        for (String name : names) {
            VrrpInstanceRuntime rt = instances.get(name);
            results.add(rt == null ? CompletableFuture.completedFuture(new io.vipkeeper.vrrp.fsm.Resignation(
                    io.vipkeeper.vrrp.fsm.Resignation.Outcome.NOT_MASTER, null, 0))
                    : rt.router.setMaintenance(on, force));
        }
        return results;
    }

    /** Told about every transition of every instance, present and future (call before start). */
    public void addTransitionListener(TransitionListener listener) {
        transitionListeners.add(listener);
    }

    /**
     * Starts every instance of {@code settings}. An instance whose interface is missing or has no
     * address of its family starts in Fault and is logged; it leaves Fault when link or address
     * events show its interface usable.
     */
    public void start(VrrpSettings settings) {
        if (!watching) {
            platform.watchLinks(this::linkChanged, this::addressesChanged, this::vipRemoved, this::vipAdded);
            watching = true;
        }
        platform.setVips(vips(settings));
        launch(settings, List.copyOf(settings.instances().keySet()));
        current = settings;
    }

    /**
     * Applies a reloaded {@code vrrp} section (see {@link VrrpReloadPlan}): unchanged instances
     * keep running untouched, retuned ones take the new priority/preempt/interval, carried-over
     * ones continue in their state on a new router (a master stays master, with no transition and
     * no gap), restarted ones (new interface, VRID or family) hand over and start again, removed
     * ones stop.
     */
    public VrrpReloadPlan apply(VrrpSettings next) {
        return apply(next, VrrpReloadPlan.between(current, next));
    }

    /** The same, following {@code plan} (made from the settings in force and {@code next}). */
    public VrrpReloadPlan apply(VrrpSettings next, VrrpReloadPlan plan) {
        platform.setVips(vips(next));
        for (String name : plan.removed()) {
            discard(name);
        }
        for (String name : plan.restart()) {
            discard(name);
        }
        Map<String, VrrpInstanceRuntime> predecessors = new LinkedHashMap<>();
        for (String name : plan.carry()) {
            predecessors.put(name, instances.remove(name));
        }
        for (String name : plan.retune()) {
            VrrpInstanceRuntime rt = instances.get(name);
            VrrpInstance i = next.instances().get(name);
            if (!rt.router.reconfigure(RouterConfigs.of(i, rt.router.config().primaryAddress()))) {
                predecessors.put(name, instances.remove(name));
            } else {
                rt.retuned(i);
            }
        }
        scripts.entrySet().removeIf(e -> {
            boolean stale = !Objects.equals(next.scripts().get(e.getKey()), e.getValue().script());
            if (stale) {
                e.getValue().stop();
            }
            return stale;
        });
        List<String> fresh = new ArrayList<>(plan.restart());
        fresh.addAll(plan.added());
        current = next;
        launch(next, fresh, predecessors);
        LOG.info("vrrp reload: {} unchanged, {} retuned, {} carried over, {} restarted, {} added, {} removed",
                plan.unchanged().size(), plan.retune().size(), predecessors.size(), plan.restart().size(),
                plan.added().size(), plan.removed().size());
        return plan;
    }

    /** Every VIP (and excluded address) of {@code settings}: never taken for an interface's primary address. */
    static Set<java.net.InetAddress> vips(VrrpSettings settings) {
        return settings.instances().values().stream().flatMap(i -> i.addresses().stream())
                .map(a -> a.prefix().address()).collect(java.util.stream.Collectors.toSet());
    }

    private void launch(VrrpSettings settings, List<String> names) {
        launch(settings, names, Map.of());
    }

    /**
     * Starts {@code fresh} instances from Initialize and the instances of {@code predecessors} on new
     * routers that take over their predecessors' state.
     */
    private void launch(VrrpSettings settings, List<String> fresh, Map<String, VrrpInstanceRuntime> predecessors) {
        List<String> names = new ArrayList<>(fresh);
        names.addAll(predecessors.keySet());
        List<VrrpInstanceRuntime> created = new ArrayList<>();
        for (String name : names) {
            VrrpInstanceRuntime rt = new VrrpInstanceRuntime(settings.instances().get(name), scheduler, runner);
            transitionListeners.forEach(rt.router::addListener);
            instances.put(name, rt);
            created.add(rt);
        }
        settings.syncGroups().forEach((group, members) -> {
            if (members.stream().anyMatch(names::contains)) {
                new SyncGroup(group, members.stream().map(instances::get).filter(Objects::nonNull)
                        .map(rt -> rt.router).toList());
            }
        });
        startScripts(settings);
        for (VrrpInstanceRuntime rt : created) {
            String fault = endpoints.connect(rt);
            if (rt.endpoint().isEmpty()) {
                LOG.warn("{}: {}; the instance stays in FAULT until it can run", rt.settings.name(), fault);
            }
            rt.router.setFault(VrrpInstanceRuntime.OWN_INTERFACE, fault);
            for (VrrpInstance.TrackedInterface t : rt.settings.trackInterfaces()) {
                boolean up = platform.lookup(t.name(), false).map(VrrpPlatform.InterfaceInfo::usable).orElse(false);
                if (!up) {
                    rt.linkChanged(t.name(), false);
                }
            }
            tracking.apply(rt, settings);
            for (String s : rt.settings.trackScripts()) {
                TrackScript ts = scripts.get(s);
                if (ts != null && !ts.isUp()) {
                    rt.tracked.update(TRACK_SCRIPT + s, ts.script().weight(), false, "script " + s + " is failing");
                }
            }
            if (maintenance.contains(rt.settings.name())) {
                // Before it starts: a router in maintenance never becomes master, not even for a moment.
                rt.router.setMaintenance(true, true);
                LOG.info("{}: in maintenance (vipkeeper vrrp maintenance off {} ends it)", rt.settings.name(),
                        rt.settings.name());
            }
            VrrpInstanceRuntime before = predecessors.get(rt.settings.name());
            if (before == null) {
                rt.router.start();
            } else {
                succeed(before, rt);
            }
        }
    }

    /**
     * {@code next} goes on in the state of {@code before}: it claims its VIPs first, then the
     * predecessor releases those the successor does not have (the address ledger keeps the
     * rest), then lets go of its endpoint (bound by now to the successor where they share it).
     */
    private void succeed(VrrpInstanceRuntime before, VrrpInstanceRuntime next) {
        next.continueAuthFrom(before);
        next.router.startAfter(before.router.retire());
        before.releaseAddresses();
        endpoints.release(before, CompletableFuture.completedFuture(null));
    }

    /** Stops one instance and releases its endpoint when no other instance uses it. */
    private void discard(String name) {
        VrrpInstanceRuntime rt = instances.remove(name);
        if (rt != null) {
            // A master keeps hearing its VRID until a new master took over (graceful handover).
            endpoints.release(rt, rt.router.stop());
        }
    }

    private void startScripts(VrrpSettings settings) {
        tracking.watch(settings);
        for (VrrpScript s : settings.scripts().values()) {
            boolean used = instances.values().stream().anyMatch(rt -> rt.settings.trackScripts().contains(s.name()));
            if (!used || scripts.containsKey(s.name())) {
                continue;
            }
            // Users are looked up at each change, so instances restarted by a reload are included.
            TrackScript ts = new TrackScript(s, runner, scriptTimer, (up, why) -> scheduler.execute(() ->
                    instances.values().stream().filter(rt -> rt.settings.trackScripts().contains(s.name()))
                            .forEach(rt -> rt.tracked.update(TRACK_SCRIPT + s.name(), s.weight(), up, why))));
            scripts.put(s.name(), ts);
            ts.start();
        }
    }

    /**
     * A link changed: tracking and bound instances follow at once; then an instance on that link
     * that waits binds if it can now, and one whose link went down is unbound if the link is gone.
     */
    private void linkChanged(String ifname, boolean usable) {
        for (VrrpInstanceRuntime rt : instances.values()) {
            rt.linkChanged(ifname, usable);
            if (rt.settings.interfaceName().equals(ifname) && !(usable && rt.endpoint().isPresent())) {
                reconnect(rt);
            }
        }
    }

    /**
     * An address (not a VIP) came or went: a waiting instance may have its advert source now, a
     * running one may have lost it (Fault, as keepalived) or got it back.
     */
    private void addressesChanged() {
        instances.values().forEach(this::reconnect);
    }

    /**
     * A VIP left an interface. When vipkeeper released it, no master has it; when someone else
     * removed a master's VIP, the master puts it back (a master must hold its VIPs). An entry with
     * another prefix than the instance's is not its VIP (its owner removes those itself).
     */
    private void vipRemoved(java.net.InetAddress vip, int prefixLength) {
        IpPrefix removed = new IpPrefix(vip, prefixLength);
        // Excluded addresses too: the router does not advertise them, but its owner holds them.
        instances.values().stream().filter(rt -> rt.settings.addresses().stream()
                        .anyMatch(a -> a.prefix().equals(removed)))
                .forEach(rt -> rt.router.addressRemoved(vip, true));
    }

    /**
     * Something other than vipkeeper put a VIP on an interface (ip addr add by hand, another
     * daemon): on a host whose instance is not master that is a second holder, so the instance
     * takes it away again; a master keeps it.
     */
    private void vipAdded(String ifname, java.net.InetAddress vip) {
        instances.values().stream().filter(rt -> rt.settings.addresses().stream().anyMatch(a ->
                        a.prefix().address().equals(vip) && a.interfaceOr(rt.settings.interfaceName()).equals(ifname)))
                .forEach(rt -> rt.router.addressAdded(vip, true));
    }

    /** Binds or unbinds after an event; a failure (the link vanished meanwhile) leaves it in Fault. */
    private void reconnect(VrrpInstanceRuntime rt) {
        boolean waiting = rt.endpoint().isEmpty();
        String fault = tryConnect(rt);
        rt.router.setFault(VrrpInstanceRuntime.OWN_INTERFACE, fault);
        if (fault != null && rt.endpoint().isPresent()) {
            // In Fault now, with its VIPs released: a lost source address can be replaced.
            fault = tryConnect(rt);
            rt.router.setFault(VrrpInstanceRuntime.OWN_INTERFACE, fault);
        }
        if (waiting && rt.endpoint().isPresent()) {
            LOG.info("{}: {} can be used now", rt.settings.name(), rt.settings.interfaceName());
        }
    }

    private String tryConnect(VrrpInstanceRuntime rt) {
        try {
            return endpoints.connect(rt);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot use {}: {}", rt.settings.name(), rt.settings.interfaceName(), e.toString());
            return rt.settings.interfaceName() + " cannot be used: " + e.getMessage();
        }
    }

    /**
     * Stops every instance: masters send priority 0 and hand over (release their addresses once a
     * new master advertises). The result completes when every handover and the notify scripts
     * queued by now are done; the transports close then.
     */
    public CompletableFuture<Void> stop() {
        scripts.values().forEach(TrackScript::stop);
        scripts.clear();
        tracking.close();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (VrrpInstanceRuntime rt : instances.values()) {
            pending.add(rt.router.stop());
            rt.notify.ifPresent(n -> pending.add(n.idle()));
        }
        instances.clear();
        // Endpoints stay open until every master handed over: it must hear the new master.
        return endpoints.closeAll(CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new)));
    }

    /** What was dropped on receive that no instance owns. */
    public io.vipkeeper.vrrp.fsm.ReceiveCounters receiveCounters() {
        return endpoints.counters(platform.malformedEvents(), platform.routeRefusals());
    }

    /** The running routers by instance name, in config order. */
    public Map<String, VirtualRouter> routers() {
        Map<String, VirtualRouter> m = new LinkedHashMap<>();
        instances.forEach((name, rt) -> m.put(name, rt.router));
        return m;
    }

    /** The state of an instance, or empty if it is not running. */
    public Optional<RouterState> state(String instance) {
        return Optional.ofNullable(instances.get(instance)).map(rt -> rt.router.state());
    }
}
