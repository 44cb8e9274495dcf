package io.vipkeeper.appliance.api;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vipkeeper.vrrp.fsm.RouterState;
import java.util.function.Supplier;

/**
 * The daemon's metrics, computed at scrape time from one {@link StatusSnapshot} (nothing is
 * mirrored). Label conventions: {@code vrrp_instance} (not {@code instance}, which Prometheus
 * sets on every scraped series to the target), {@code vs} the virtual server's name, {@code rs}
 * the real server's {@code ADDR:PORT}; only configured instances and servers appear, so
 * cardinality follows the config.
 *
 * <p>{@code vipkeeper_vrrp_state} is the enum-as-label form: one series per state, 1 for the
 * current one, 0 for the others. {@code vipkeeper_real_server_up} is 1 when the check says up or
 * the server has no check (it is then always in the pool), 0 when down; a server removed from the
 * config but still draining in the kernel has no {@code up} series, only its weight and counters.
 * {@code vipkeeper_real_server_weight} is the weight in the kernel and is absent while the kernel
 * does not have the server. Service-level IPVS counters are separate families
 * ({@code vipkeeper_ipvs_service_*}) so that summing a per-real-server family never counts twice.
 */
final class StatusCollector implements MultiCollector {
    private final Supplier<StatusSnapshot> status;

    StatusCollector(Supplier<StatusSnapshot> status) {
        this.status = status;
    }

    @Override
    public MetricSnapshots collect() {
        StatusSnapshot s = status.get();
        MetricFamilies m = new MetricFamilies();
        vrrp(s, m);
        realServers(s, m);
        ipvs(s, m);
        bgp(s, m);
        var reloads = m.counter("vipkeeper_config_reloads", "Config reloads by result.");
        reloads.add(s.reloads().ok(), "result", "ok").add(s.reloads().failed(), "result", "failed");
        boolean lastOk = s.reloads().last() == null || s.reloads().last().ok();
        m.gauge("vipkeeper_config_last_reload_success",
                "1 when the last reload succeeded (or none was tried yet), 0 when it was refused.")
                .add(lastOk ? 1 : 0);
        return m.build();
    }

    private static void vrrp(StatusSnapshot s, MetricFamilies m) {
        var state = m.gauge("vipkeeper_vrrp_state", "VRRP instance state: 1 for the current state, 0 for the others.");
        var priority = m.gauge("vipkeeper_vrrp_priority", "VRRP priority, configured and effective (with tracking).");
        var transitions = m.counter("vipkeeper_vrrp_transitions", "VRRP state changes.");
        var drops = m.counter("vipkeeper_vrrp_dropped_packets", "VRRP packets discarded, by reason.");
        var sent = m.counter("vipkeeper_vrrp_adverts_sent", "VRRP advertisements sent.");
        var received = m.counter("vipkeeper_vrrp_adverts_received",
                "VRRP advertisements received that passed every check.");
        var maintenance = m.gauge("vipkeeper_vrrp_maintenance",
                "1 while the operator keeps the VRRP instance in maintenance on this node (vipkeeper vrrp maintenance).");
        var restored = m.counter("vipkeeper_vrrp_addresses_restored",
                "Times a master put back its VIPs after something else removed one from its interface.");
        for (StatusSnapshot.Instance i : s.vrrpInstances()) {
            String name = i.name();
            for (RouterState st : RouterState.values()) {
                state.add(st.name().equals(i.state()) ? 1 : 0, "vrrp_instance", name, "state", st.name());
            }
            priority.add(i.configuredPriority(), "vrrp_instance", name, "kind", "configured");
            priority.add(i.effectivePriority(), "vrrp_instance", name, "kind", "effective");
            transitions.add(i.transitions(), "vrrp_instance", name);
            i.drops().forEach((reason, n) -> drops.add(n, "vrrp_instance", name, "reason", JsonNames.snake(reason)));
            sent.add(i.advertsSent(), "vrrp_instance", name);
            received.add(i.advertsReceived(), "vrrp_instance", name);
            restored.add(i.addressesRestored(), "vrrp_instance", name);
            maintenance.add(i.maintenance() ? 1 : 0, "vrrp_instance", name);
        }
        if (s.vrrpReceive() != null) {
            var unattributed = m.counter("vipkeeper_vrrp_unattributed_drops",
                    "VRRP packets discarded that no instance owns (unknown VRID, too short to name one), by reason.");
            s.vrrpReceive().drops().forEach((reason, n) -> unattributed.add(n, "reason", JsonNames.snake(reason)));
            m.counter("vipkeeper_vrrp_receive_errors",
                    "Datagrams the VRRP sockets could not read (runts, not IP, receive errors).")
                    .add(s.vrrpReceive().receiveErrors());
            m.counter("vipkeeper_netlink_malformed_events", "Link and address events that could not be parsed.")
                    .add(s.vrrpReceive().netlinkMalformed());
            m.counter("vipkeeper_vrrp_route_refusals", "Virtual routes and rules the kernel refused to add, or"
                    + " found another route in the place of (at a claim, a repair or an ip route replace; each logged once"
                    + " with the reason until it succeeds).").add(s.vrrpReceive().routeRefusals());
        }
    }

    private static void realServers(StatusSnapshot s, MetricFamilies m) {
        var up = m.gauge("vipkeeper_real_server_up", "1 when the real server's check says up or it has no check, 0 when down.");
        var weight = m.gauge("vipkeeper_real_server_weight", "The real server's weight in the kernel (absent when not there).");
        var admin = m.gauge("vipkeeper_real_server_admin_state", "The operator's runtime state of the real server on this"
                + " node, one series per state (enabled, drained, disabled), 1 for the current one.");
        var origin = m.gauge("vipkeeper_real_server_runtime_backend", "1 for a runtime backend (origin runtime: added"
                + " with vipkeeper backend add on this node), 0 for one of the config file.");
        var runtime = m.gauge("vipkeeper_real_server_runtime_weight", "1 while an operator's runtime weight replaces the"
                + " config's (weight origin runtime), 0 while the config's applies.");
        for (StatusSnapshot.VirtualServerStatus vs : s.virtualServers()) {
            for (StatusSnapshot.RealServerStatus rs : vs.realServers()) {
                if (!rs.health().equals("removed")) {
                    up.add(rs.health().equals("down") ? 0 : 1, "vs", vs.name(), "rs", rs.address());
                }
                if (rs.kernelWeight() != null) {
                    weight.add(rs.kernelWeight(), "vs", vs.name(), "rs", rs.address());
                }
                if (rs.admin() != null) {
                    for (io.vipkeeper.appliance.pool.AdminState a : io.vipkeeper.appliance.pool.AdminState.values()) {
                        admin.add(a.label().equals(rs.admin()) ? 1 : 0, "vs", vs.name(), "rs", rs.address(), "state", a.label());
                    }
                    runtime.add("runtime".equals(rs.weightOrigin()) ? 1 : 0, "vs", vs.name(), "rs", rs.address());
                }
                if (rs.origin() != null) {
                    origin.add("runtime".equals(rs.origin()) ? 1 : 0, "vs", vs.name(), "rs", rs.address());
                }
            }
        }
    }

    private static void bgp(StatusSnapshot s, MetricFamilies m) {
        var announced = m.gauge("vipkeeper_bgp_announced",
                "1 while the bgp VIP is on the announce device (the routing daemon announces it), 0 while withdrawn.");
        var changes = m.counter("vipkeeper_bgp_changes", "Announces and withdrawals of the bgp VIP.");
        for (StatusSnapshot.BgpVip b : s.bgp()) {
            announced.add(b.announced() ? 1 : 0, "vip", b.vip());
            changes.add(b.changes(), "vip", b.vip());
        }
    }

    private static void ipvs(StatusSnapshot s, MetricFamilies m) {
        var svcConns = m.counter("vipkeeper_ipvs_service_connections", "Connections scheduled by the virtual server.");
        var svcPackets = m.counter("vipkeeper_ipvs_service_packets", "Packets through the virtual server.");
        var svcBytes = m.counter("vipkeeper_ipvs_service_bytes", "Bytes through the virtual server.");
        var conns = m.counter("vipkeeper_ipvs_connections", "Connections scheduled to the real server.");
        var packets = m.counter("vipkeeper_ipvs_packets", "Packets to (in) and from (out) the real server.");
        var bytes = m.counter("vipkeeper_ipvs_bytes", "Bytes to (in) and from (out) the real server.");
        var active = m.gauge("vipkeeper_ipvs_active_connections", "Active connections of the real server.");
        var inactive = m.gauge("vipkeeper_ipvs_inactive_connections", "Inactive connections of the real server.");
        var overloaded = m.gauge("vipkeeper_ipvs_overloaded", "1 while the real server takes no new connections for being"
                + " at its upper-threshold, else 0 (real servers with a threshold on an engine that reports it: nftables).");
        for (StatusSnapshot.VirtualServerStatus vs : s.virtualServers()) {
            StatusSnapshot.Counters c = vs.counters();
            if (c != null) {
                svcConns.add(c.connections(), "vs", vs.name());
                svcPackets.add(c.inPackets(), "vs", vs.name(), "direction", "in")
                        .add(c.outPackets(), "vs", vs.name(), "direction", "out");
                svcBytes.add(c.inBytes(), "vs", vs.name(), "direction", "in")
                        .add(c.outBytes(), "vs", vs.name(), "direction", "out");
            }
            for (StatusSnapshot.RealServerStatus rs : vs.realServers()) {
                StatusSnapshot.Counters r = rs.counters();
                if (r == null) {
                    continue;
                }
                String[] id = {"vs", vs.name(), "rs", rs.address()};
                conns.add(r.connections(), id);
                packets.add(r.inPackets(), with(id, "in")).add(r.outPackets(), with(id, "out"));
                bytes.add(r.inBytes(), with(id, "in")).add(r.outBytes(), with(id, "out"));
                active.add(rs.activeConnections(), id);
                inactive.add(rs.inactiveConnections(), id);
                if (rs.overloaded() != null) {
                    overloaded.add(rs.overloaded() ? 1 : 0, id);
                }
            }
        }
        if (s.dataPlane() != null) {
            m.gauge("vipkeeper_data_plane_info", "The engine that forwards the virtual servers (value 1).")
                    .add(1, "engine", s.dataPlane().engine(), "choice", s.dataPlane().choice());
        }
        StatusSnapshot.Ipvs ipvs = s.ipvs();
        if (ipvs != null) {
            m.counter("vipkeeper_ipvs_reconcile_runs", "IPVS reconcile runs.").add(ipvs.runs());
            m.counter("vipkeeper_ipvs_reconcile_changes", "Changes made to the kernel's IPVS table.").add(ipvs.changes());
            m.counter("vipkeeper_ipvs_reconcile_repairs", "Changes that repaired drift in the kernel's IPVS table.")
                    .add(ipvs.repairs());
            m.counter("vipkeeper_ipvs_reconcile_failures", "Refused IPVS changes and failed reconcile runs.")
                    .add(ipvs.failures());
        }
    }

    private static String[] with(String[] id, String direction) {
        return new String[] {id[0], id[1], id[2], id[3], "direction", direction};
    }
}
