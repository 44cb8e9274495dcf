package io.vipkeeper.appliance.api;

import io.vipkeeper.appliance.Version;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.appliance.api.ReloadResult;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.pool.BackendAdmin;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.fsm.RouterCounters;
import io.vipkeeper.vrrp.fsm.Transition;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.protocol.VirtualMac;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Builds a {@link StatusSnapshot} from {@link StatusInputs}: the config gives the order and the
 * desired values, the routers, the last kernel table and the health checks the actual ones.
 */
public final class StatusAssembler {
    private final StatusInputs inputs;
    private final java.time.Clock wall;
    private final LongSupplier routerNanos;

    /**
     * An assembler reading {@code inputs}; {@code routerNanos} is the routers' scheduler clock
     * (System.nanoTime on the VRRP loop), used to date their last transition on the wall clock.
     */
    public StatusAssembler(StatusInputs inputs, java.time.Clock wall, LongSupplier routerNanos) {
        this.inputs = inputs;
        this.wall = wall;
        this.routerNanos = routerNanos;
    }

    /** An assembler for the daemon: wall clock and System.nanoTime. */
    public static StatusAssembler of(StatusInputs inputs) {
        return new StatusAssembler(inputs, java.time.Clock.systemUTC(), System::nanoTime);
    }

    /** The inputs read. */
    StatusInputs inputs() {
        return inputs;
    }

    /** The state now. */
    public StatusSnapshot snapshot() {
        Settings s = inputs.settings();
        Optional<DataPlaneStatus> ipvs = inputs.ipvs();
        Map<ServiceKey, ActualService> table = ipvs.flatMap(DataPlaneStatus::lastTable).orElse(Map.of());
        List<StatusSnapshot.VirtualServerStatus> servers = new ArrayList<>();
        Map<String, Map<BackendKey, RealServerHealth>> health = inputs.health();
        Map<String, Map<BackendKey, BackendAdmin>> runtime = inputs.runtimeStates();
        Map<String, List<RealServer>> added = inputs.runtimeBackends();
        for (VirtualServer vs : s.ipvs().virtualServers().values()) {
            servers.add(virtualServer(vs, added.getOrDefault(vs.name(), List.of()), table.get(vs.key()),
                    health.getOrDefault(vs.name(), Map.of()), runtime.getOrDefault(vs.name(), Map.of())));
        }
        StatusSnapshot.Ipvs manager = ipvs.map(m -> new StatusSnapshot.Ipvs(m.runs(), m.changes(), m.repairs(),
                m.failures(), m.lastTableAt().map(StatusJson::timestamp).orElse(null), m.lastError().orElse(null))).orElse(null);
        return new StatusSnapshot(s.nodeName(), Version.line(), s.source().toString(), s.digest(),
                StatusJson.timestamp(inputs.startedAt()), StatusJson.timestamp(inputs.loadedAt()),
                // The counts before the last result: the daemon records a result before it counts it.
                new StatusSnapshot.Reloads(inputs.reloadsOk(), inputs.reloadsFailed(),
                        inputs.lastReload().map(StatusAssembler::reload).orElse(null)),
                instances(s), servers, inputs.dataPlane().map(c -> new StatusSnapshot.DataPlane(c.choice(), c.engine(),
                        c.reason())).orElse(null), manager, inputs.vrrpReceive().map(StatusAssembler::receive).orElse(null),
                new DaemonHealth(inputs, wall).problems(), inputs.bgp().stream().map(b -> new StatusSnapshot.BgpVip(
                        Addresses.format(b.vip()), b.announced(), b.reason(), StatusJson.timestamp(b.since()),
                        b.changes())).toList());
    }

    private static StatusSnapshot.VrrpReceive receive(io.vipkeeper.vrrp.fsm.ReceiveCounters c) {
        Map<String, Long> drops = new LinkedHashMap<>();
        for (DropReason r : DropReason.values()) {
            drops.put(JsonNames.camel(r.label()), c.drops().getOrDefault(r, 0L));
        }
        return new StatusSnapshot.VrrpReceive(drops, c.receiveErrors(), c.netlinkMalformed(), c.routeRefusals());
    }

    private static StatusSnapshot.LastReload reload(ReloadResult r) {
        return new StatusSnapshot.LastReload(StatusJson.timestamp(r.at()), r.ok(), r.problems(), r.summary());
    }

    private List<StatusSnapshot.Instance> instances(Settings s) {
        Map<String, VirtualRouter> routers = inputs.routers();
        List<StatusSnapshot.Instance> list = new ArrayList<>();
        long nowNanos = routerNanos.getAsLong();
        Instant now = wall.instant();
        for (VrrpInstance vi : s.vrrp().instances().values()) {
            VirtualRouter r = routers.get(vi.name());
            if (r != null) {
                list.add(instance(vi, r, now, nowNanos));
            }
        }
        return list;
    }

    private static StatusSnapshot.Instance instance(VrrpInstance vi, VirtualRouter r, Instant now, long nowNanos) {
        RouterCounters c = r.counters();
        Map<String, Long> drops = new LinkedHashMap<>();
        for (Map.Entry<DropReason, Long> e : c.drops().entrySet()) {
            drops.put(JsonNames.camel(e.getKey().label()), e.getValue());
        }
        StatusSnapshot.LastTransition last = r.lastTransition().map(t -> transition(t, now, nowNanos)).orElse(null);
        List<StatusSnapshot.Mismatch> mismatches = r.mismatches().stream().map(m -> new StatusSnapshot.Mismatch(
                Addresses.format(m.peer()), m.reason().label(), m.detail(), m.count(),
                wallTime(m.lastSeenNanos(), now, nowNanos), m.active())).toList();
        return new StatusSnapshot.Instance(vi.name(), vi.interfaceName(), r.config().virtualRouterId(),
                r.config().version().byteValue(), r.state().name(), r.config().priority(), r.effectivePriority(),
                r.masterAddress().map(Addresses::format).orElse(null), r.config().advertIntervalCentis() * 10L,
                r.masterAdverIntervalCentis() * 10L, c.transitions(), last, c.advertsSent(), c.advertsReceived(),
                drops, r.faults(), vi.virtualIps().stream().map(Object::toString).toList(), c.addressesRestored(),
                mismatches, r.inMaintenance(), r.lastPeerAdvertNanos().isPresent()
                        ? wallTime(r.lastPeerAdvertNanos().getAsLong(), now, nowNanos) : null,
                vi.vmac().map(v -> v.name() + " " + VirtualMac.text(VirtualMac.of(vi.virtualRouterId(), vi.isIpv6())))
                        .orElse(null), r.priorityAdjustments(),
                r.preemptDelayEndsNanos().isPresent()
                        ? StatusJson.timestamp(now.plusNanos(r.preemptDelayEndsNanos().getAsLong() - nowNanos)) : null);
    }

    private static StatusSnapshot.LastTransition transition(Transition t, Instant now, long nowNanos) {
        return new StatusSnapshot.LastTransition(t.from().name(), t.to().name(), t.reason().label(), t.detail(),
                wallTime(t.atNanos(), now, nowNanos));
    }

    /** A moment on the routers' clock ({@code atNanos}) as wall-clock time, to the millisecond. */
    private static String wallTime(long atNanos, Instant now, long nowNanos) {
        return StatusJson.timestamp(now.minusNanos(Math.max(0, nowNanos - atNanos)));
    }

    private static StatusSnapshot.VirtualServerStatus virtualServer(VirtualServer vs, List<RealServer> added,
            ActualService ks, Map<BackendKey, RealServerHealth> health, Map<BackendKey, BackendAdmin> runtime) {
        List<StatusSnapshot.RealServerStatus> reals = new ArrayList<>();
        Set<BackendKey> configured = new HashSet<>();
        int fromFile = vs.realServers().size();
        List<RealServer> all = concat(vs.realServers(), added);
        for (int i = 0; i < all.size(); i++) {
            RealServer rs = all.get(i);
            BackendKey key = rs.key();
            if (!configured.add(key)) {
                continue; // a runtime backend the file has now: the file's
            }
            String origin = i < fromFile ? "config" : "runtime";
            ActualBackend kd = ks == null ? null : ks.dests().get(key);
            reals.add(realServer(rs, origin, kd, health.get(key), runtime.getOrDefault(key, BackendAdmin.DEFAULT)));
        }
        if (ks != null) {
            for (ActualBackend kd : ks.dests().values()) {
                if (!configured.contains(kd.spec().key())) {
                    reals.add(new StatusSnapshot.RealServerStatus(kd.spec().key().toString(), "removed", null, null,
                            null, kd.spec().weight(), kd.activeConnections(), kd.inactiveConnections(),
                            counters(kd.stats()), null, null, null, null, kd.overloaded()));
                }
            }
        }
        return new StatusSnapshot.VirtualServerStatus(vs.name(), vs.identity(), vs.scheduler().configName(),
                vs.forwarding().configName(), ks != null, ks == null ? null : counters(ks.stats()), reals);
    }

    private static List<RealServer> concat(List<RealServer> a, List<RealServer> b) {
        List<RealServer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static StatusSnapshot.RealServerStatus realServer(RealServer rs, String origin, ActualBackend kd,
            RealServerHealth h, BackendAdmin admin) {
        String health = h == null ? "unchecked" : h.up() ? "up" : "down";
        return new StatusSnapshot.RealServerStatus(rs.identity(), health, h == null ? null : h.lastResult(),
                h == null ? null : StatusJson.timestamp(h.lastChange()), rs.weight(),
                kd == null ? null : kd.spec().weight(), kd == null ? null : kd.activeConnections(),
                kd == null ? null : kd.inactiveConnections(), kd == null ? null : counters(kd.stats()),
                // An added backend's weight is the order's, never the file's.
                admin.state().label(), "runtime".equals(origin) ? "runtime" : admin.origin(), admin.weight(), origin,
                kd == null ? null : kd.overloaded());
    }

    private static StatusSnapshot.Counters counters(TrafficCounters s) {
        return new StatusSnapshot.Counters(s.connections(), s.inPackets(), s.outPackets(), s.inBytes(),
                s.outBytes());
    }
}
