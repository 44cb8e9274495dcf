package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.appliance.config.VrrpScript;
import io.vipkeeper.appliance.config.VrrpSettings;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.SyncGroup;
import io.vipkeeper.vrrp.fsm.TransitionListener;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final Map<VrrpEndpoint.Key, VrrpEndpoint> endpoints = new HashMap<>();
    private final Map<String, TrackScript> scripts = new LinkedHashMap<>();
    private VrrpSettings current = new VrrpSettings(Map.of(), Map.of(), Map.of());
    private boolean watching;
    private final List<TransitionListener> transitionListeners = new ArrayList<>();

    /** A service that has not started anything yet. */
    public VrrpService(VrrpPlatform platform, VrrpScheduler scheduler, ProcessRunner runner,
            ScheduledExecutorService scriptTimer) {
        this.platform = platform;
        this.scheduler = scheduler;
        this.runner = runner;
        this.scriptTimer = scriptTimer;
    }

    /** Told about every transition of every instance, present and future (call before start). */
    public void addTransitionListener(TransitionListener listener) {
        transitionListeners.add(listener);
    }

    /**
     * Starts every instance of {@code settings}. An instance whose interface is missing or has no
     * address of its family starts in Fault and is logged; the others run.
     */
    public void start(VrrpSettings settings) {
        if (!watching) {
            platform.watchLinks(this::linkChanged);
            watching = true;
        }
        launch(settings, List.copyOf(settings.instances().keySet()));
        current = settings;
    }

    /**
     * Applies a reloaded {@code vrrp} section: unchanged instances keep running untouched, retuned
     * ones take the new priority/preempt/interval without a transition, the rest restart (with
     * their whole sync group); removed ones stop.
     */
    public VrrpReloadPlan apply(VrrpSettings next) {
        VrrpReloadPlan plan = VrrpReloadPlan.between(current, next);
        Set<String> restart = new LinkedHashSet<>(plan.restart());
        for (List<String> members : next.syncGroups().values()) {
            if (members.stream().anyMatch(restart::contains)) {
                members.stream().filter(current.instances()::containsKey).forEach(restart::add);
            }
        }
        for (String name : plan.removed()) {
            discard(name);
        }
        for (String name : restart) {
            discard(name);
        }
        for (String name : plan.retune()) {
            VrrpInstanceRuntime rt = instances.get(name);
            VrrpInstance i = next.instances().get(name);
            if (rt != null && !rt.router.reconfigure(RouterConfigs.of(i, rt.router.config().primaryAddress()))) {
                discard(name);
                restart.add(name);
            } else if (rt != null) {
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
        List<String> launch = new ArrayList<>(restart);
        launch.addAll(plan.added());
        current = next;
        launch(next, launch);
        LOG.info("vrrp reload: {} unchanged, {} retuned, {} restarted, {} added, {} removed",
                plan.unchanged().size(), plan.retune().size(), restart.size(), plan.added().size(),
                plan.removed().size());
        return plan;
    }

    private void launch(VrrpSettings settings, List<String> names) {
        List<VrrpInstanceRuntime> created = new ArrayList<>();
        for (String name : names) {
            VrrpInstance i = settings.instances().get(name);
            create(i).ifPresent(rt -> {
                transitionListeners.forEach(rt.router::addListener);
                instances.put(name, rt);
                created.add(rt);
            });
        }
        settings.syncGroups().forEach((group, members) -> {
            if (members.stream().anyMatch(names::contains)) {
                new SyncGroup(group, members.stream().map(instances::get).filter(Objects::nonNull)
                        .map(rt -> rt.router).toList());
            }
        });
        startScripts(settings);
        for (VrrpInstanceRuntime rt : created) {
            Optional<VrrpPlatform.InterfaceInfo> info = platform.lookup(rt.settings.interfaceName(),
                    rt.settings.isIpv6());
            if (info.isEmpty() || !info.get().usable()) {
                rt.router.setFault(VrrpInstanceRuntime.OWN_INTERFACE, rt.settings.interfaceName() + " is down");
            }
            for (VrrpInstance.TrackedInterface t : rt.settings.trackInterfaces()) {
                boolean up = platform.lookup(t.name(), false).map(VrrpPlatform.InterfaceInfo::usable).orElse(false);
                if (!up) {
                    rt.linkChanged(t.name(), false);
                }
            }
            for (String s : rt.settings.trackScripts()) {
                TrackScript ts = scripts.get(s);
                if (ts != null && !ts.isUp()) {
                    rt.tracked.update(TRACK_SCRIPT + s, ts.script().weight(), false, "script " + s + " is failing");
                }
            }
            rt.router.start();
        }
    }

    /** Stops one instance and releases its endpoint when no other instance uses it. */
    private void discard(String name) {
        VrrpInstanceRuntime rt = instances.remove(name);
        if (rt == null) {
            return;
        }
        boolean last = --rt.endpoint.users == 0;
        if (last) {
            endpoints.values().remove(rt.endpoint);
        }
        // A master keeps hearing its VRID until a new master took over (graceful handover).
        rt.router.stop().whenComplete((ok, error) -> {
            rt.endpoint.dispatcher.remove(rt.router);
            if (last) {
                rt.endpoint.transport.close();
            }
        });
    }

    private Optional<VrrpInstanceRuntime> create(VrrpInstance i) {
        Optional<VrrpPlatform.InterfaceInfo> info = platform.lookup(i.interfaceName(), i.isIpv6());
        Optional<InetAddress> source = i.unicastSource().or(() -> info.flatMap(VrrpPlatform.InterfaceInfo::primary));
        if (source.isEmpty()) {
            LOG.error("{}: interface {} {}; the instance does not run", i.name(), i.interfaceName(),
                    info.isEmpty() ? "does not exist" : "has no " + (i.isIpv6() ? "IPv6 link-local" : "IPv4")
                            + " address");
            return Optional.empty();
        }
        Optional<byte[]> ahKey = RouterConfigs.ahKey(i);
        VrrpEndpoint.Key key = new VrrpEndpoint.Key(i.interfaceName(), i.isIpv6(), source.get(),
                i.unicastPeers().isEmpty(), ahKey.map(k -> new String(k, StandardCharsets.ISO_8859_1))
                        .orElse(""));
        VrrpEndpoint endpoint = endpoints.computeIfAbsent(key, k -> new VrrpEndpoint(platform.openTransport(
                k.ifname(), k.ipv6(), k.source(), k.joinGroup(), ahKey)));
        endpoint.users++;
        return Optional.of(new VrrpInstanceRuntime(i, RouterConfigs.of(i, source.get()), endpoint, platform,
                scheduler, runner));
    }

    private void startScripts(VrrpSettings settings) {
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

    private void linkChanged(String ifname, boolean usable) {
        instances.values().forEach(rt -> rt.linkChanged(ifname, usable));
    }

    /**
     * Stops every instance: masters send priority 0 and hand over (release their addresses once a
     * new master advertises). The result completes when every handover and the notify scripts
     * queued by now are done; the transports close then.
     */
    public CompletableFuture<Void> stop() {
        scripts.values().forEach(TrackScript::stop);
        scripts.clear();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (VrrpInstanceRuntime rt : instances.values()) {
            pending.add(rt.router.stop());
            rt.notify.ifPresent(n -> pending.add(n.idle()));
        }
        List<VrrpEndpoint> open = new ArrayList<>(endpoints.values());
        endpoints.clear();
        instances.clear();
        // Endpoints stay open until every master handed over: it must hear the new master.
        return CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
                .whenComplete((ok, error) -> open.forEach(e -> e.transport.close()));
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
