package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * vrrp_instance to {@code vrrp.instances.NAME}: interface, VRID, priority, version, interval,
 * preemption, virtual IPs (with dev, scope, label, brd) and excluded addresses, virtual routes and
 * rules (see {@link RouteImport}), unicast peers, authentication, tracked interfaces, scripts, files and
 * processes, notify programs, the virtual MAC and gratuitous-ARP timing. keepalived's defaults that differ from vipkeeper's (VRRP
 * version 2) are written out, so the import runs what keepalived ran.
 */
final class VrrpInstanceImport {
    private static final Map<String, String> GARP = Map.of("garp_master_delay", "master-delay",
            "garp_master_repeat", "master-repeat", "garp_master_refresh", "master-refresh");

    private final ImportContext ctx;

    VrrpInstanceImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void map(Statement block) {
        String name = ctx.name(block);
        if (name == null) {
            return;
        }
        Hocon out = new Hocon();
        String iface = null;
        Integer vrid = null;
        Hocon garp = new Hocon();
        int version = ctx.vrrpVersion;
        Origin versionAt = block.origin();
        int priority = 100;
        long interval = 1000;
        Origin intervalAt = block.origin();
        List<Object> vips = new ArrayList<>();
        List<Object> excluded = new ArrayList<>();
        List<Object> routes = new ArrayList<>();
        List<Object> rules = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        List<Object> tracked = new ArrayList<>();
        Map<TrackKind, Tracking.Result> tracking = new EnumMap<>(TrackKind.class);
        // Mapped after the loop: the weights depend on the priority, which may come later.
        Map<TrackKind, Statement> trackBlocks = new EnumMap<>(TrackKind.class);
        Statement vmac = null;
        Statement xmitBase = null;
        Statement priorityChanges = null;
        NotifyPrograms notify = new NotifyPrograms();
        Statement auth = null;
        Statement hmac = null;
        boolean nopreempt = false;
        Statement preemptDelay = null;
        for (Statement s : block.children()) {
            String k = s.keyword();
            switch (k) {
                case "interface" -> iface = s.word(1).orElse(iface);
                case "virtual_router_id" -> vrid = ctx.integer(s, 1, 1, 255).stream().boxed().findFirst().orElse(vrid);
                // keepalived (vrrp_prio_handler) sets its default on a bad value, not the earlier line's.
                case "priority" -> priority = ctx.integer(s, 1, 1, 255).orElse(100);
                case "version" -> {
                    version = ctx.integer(s, 1, 2, 3).orElse(version);
                    versionAt = s.origin();
                }
                case "advert_int" -> {
                    long v = Values.millis(s, 1, ctx.notes).orElse(-1);
                    if (v >= 0 && (v < 10 || v > 255_000)) {
                        ctx.notes.fallback(s.origin(), k, "keepalived takes 0.01..255 seconds and ignores the line, "
                                + "and so does the import");
                    } else if (v >= 0) {
                        interval = v;
                        intervalAt = s.origin();
                    }
                }
                case "nopreempt" -> nopreempt = true;
                case "preempt" -> nopreempt = false;
                case "preempt_delay" -> preemptDelay = s;
                case "state" -> state(s);
                case "virtual_ipaddress" -> vips(s, vips);
                case "virtual_ipaddress_excluded" -> vips(s, excluded);
                case "unicast_peer" -> peers(s, peers);
                case "unicast_src_ip" -> s.word(1).ifPresent(v -> out.put("unicast-source", v));
                case "authentication" -> auth = s;
                case "auth_hmac" -> hmac = s;
                case "track_interface" -> trackInterfaces(s, tracked, ctx.weightless.contains(name));
                case "track_script", "track_file", "track_process" -> {
                    TrackKind kind = k.equals("track_script") ? TrackKind.SCRIPT
                            : k.equals("track_file") ? TrackKind.FILE : TrackKind.PROCESS;
                    trackBlocks.put(kind, s);
                }
                case "notify" -> {
                    ctx.notifyProgram(s, out, "notify-script", "INSTANCE NAME STATE PRIORITY");
                    notify.script = true;
                }
                case "notify_master", "notify_backup", "notify_fault", "notify_stop" -> notify.program(ctx, s, out);
                case "notify_deleted" -> ctx.unsupported(s, "vipkeeper deletes no instance on reload without "
                        + "stopping it: notify-stop (or notify-script with STOP) runs then");
                case "notify_priority_changes" -> priorityChanges = s;
                case "garp_master_delay", "garp_master_refresh" -> Garp.seconds(ctx, s, k.endsWith("refresh"))
                        .ifPresent(v -> garp.put(GARP.get(k), v));
                case "garp_master_repeat" -> ctx.integer(s, 1, 0, Integer.MAX_VALUE)
                        .ifPresent(v -> garp.put(GARP.get(k), Garp.repeat(ctx, s, v)));
                case "lvs_sync_daemon_interface" -> {
                    ctx.notes.note(s.origin(), k, "deprecated in keepalived (global_defs lvs_sync_daemon); written "
                            + "as ipvs.sync-daemon");
                    SyncDaemonImport.map(ctx, s, s.word(1).orElse(null), name, 2);
                }
                case "unicast_ttl" -> ctx.unsupported(s, "vipkeeper always sends TTL 255; to accept peers N routers "
                        + "away set unicast-min-ttl = 255 - N");
                case "mcast_src_ip" -> ctx.unsupported(s, "vipkeeper sends from the interface's primary address; "
                        + "with unicast peers set unicast-source");
                case "use_vmac" -> vmac = s;
                case "vmac_xmit_base" -> xmitBase = s;
                case "use_ipvlan" -> ctx.unsupported(s, "vipkeeper has no ipvlan: use-vmac puts the VIPs on a "
                        + "macvlan with the virtual MAC");
                case "virtual_routes" -> s.children().forEach(a -> add(routes, RouteImport.route(ctx, a)));
                case "virtual_rules" -> s.children().forEach(a -> add(rules, RouteImport.rule(ctx, a)));
                case "static_routes", "static_rules" -> ctx.unsupported(s, "vipkeeper manages only what follows "
                        + "the master: keep static routes and rules in the host's network configuration");
                case "smtp_alert" -> ctx.unsupported(s, "vipkeeper sends no mail: send it from notify-script");
                case "dont_track_primary" -> ctx.unsupported(s, "vipkeeper always tracks the instance's interface");
                default -> ctx.unsupported(s, "no vipkeeper counterpart in a VRRP instance");
            }
        }
        if (nopreempt) {
            out.put("preempt", false);
            if (preemptDelay != null) {
                ctx.notes.fallback(preemptDelay.origin(), "preempt_delay", "keepalived drops it with nopreempt (it "
                        + "only delays preemption), and so does the import");
            }
        } else if (preemptDelay != null) {
            // keepalived (vrrp_preempt_delay_handler) takes 0..1000 s and sets 0 on anything else.
            long v = Values.millis(preemptDelay, 1, ctx.notes).orElse(0);
            if (v > 1_000_000) {
                ctx.notes.fallback(preemptDelay.origin(), "preempt_delay", "above 1000 seconds: keepalived runs "
                        + "without a delay (0), and so does the import");
                v = 0;
            }
            out.put("preempt-delay", Values.duration(v));
        }
        boolean ipv6 = vips.stream().anyMatch(a -> String.valueOf(a instanceof Hocon h ? firstValue(h) : a).contains(":"));
        if (ipv6 && version == 2) {
            ctx.notes.fallback(versionAt, "version", "VRRPv2 carries no IPv6: keepalived runs IPv6 addresses with "
                    + "version 3, and so does the import");
            version = 3;
        }
        Hocon head = new Hocon();
        VmacImport.map(ctx, vmac, xmitBase, ipv6, !peers.isEmpty(), vrid, out);
        if (priorityChanges != null && Values.bool(priorityChanges, ctx.notes)) {
            if (notify.script) {
                out.put("notify-priority-changes", true);
                ctx.notes.note(priorityChanges.origin(), "notify_priority_changes", "keepalived writes priority "
                        + "changes to notify_fifo; vipkeeper runs notify-script with the current state and the "
                        + "new priority");
            } else {
                ctx.unsupported(priorityChanges, "vipkeeper reports priority changes only through notify-script "
                        + "(SCRIPT INSTANCE NAME STATE PRIORITY) and this instance has none: set notify-script and "
                        + "notify-priority-changes = true");
            }
        }
        if (iface != null) {
            head.put("interface", iface);
        }
        if (vrid != null) {
            head.put("virtual-router-id", vrid);
        }
        int effective = priority;
        for (Map.Entry<TrackKind, Statement> t : trackBlocks.entrySet()) {
            Tracking.Result r = Tracking.map(ctx, t.getKey(), t.getValue(), ctx.weightless.contains(name), priority,
                    priority == 255 ? 0 : 254 - effective);
            tracking.put(t.getKey(), r);
            effective += r.priorityBonus();
        }
        head.put("priority", effective);
        head.put("version", version);
        head.put("advert-interval", Values.duration(interval(interval, version, intervalAt)));
        head.put("virtual-ips", vips);
        if (!excluded.isEmpty()) {
            head.put("excluded-ips", excluded);
        }
        if (!routes.isEmpty()) {
            head.put("virtual-routes", routes);
        }
        if (!rules.isEmpty()) {
            head.put("virtual-rules", rules);
        }
        out.forEach(head::put);
        if (!peers.isEmpty()) {
            head.put("unicast-peers", peers);
        }
        if (auth != null || hmac != null) {
            Hocon a = AuthImport.map(ctx, auth, hmac, version);
            if (a != null) {
                head.put("authentication", a);
            }
        }
        if (!tracked.isEmpty()) {
            head.put("track-interfaces", tracked);
        }
        tracking.forEach((kind, r) -> {
            if (!r.names().isEmpty()) {
                head.put(kind.instanceKey, r.names());
            }
        });
        if (!garp.isEmpty()) {
            head.put("garp", garp);
        }
        ctx.instanceNames.put(name, name);
        ctx.vrrp().block("instances").put(name, head);
    }

    private long interval(long millis, int version, Origin at) {
        if (version == 2) {
            long seconds = Math.max(1, Math.min(255, (millis + 500) / 1000));
            if (seconds * 1000 != millis) {
                ctx.notes.fallback(at, "advert_int", "VRRPv2 carries whole seconds; keepalived sends "
                        + seconds + "s, and so does the import");
            }
            return seconds * 1000;
        }
        long centis = Math.max(1, Math.min(4095, (millis + 5) / 10));
        return centis * 10;
    }

    private static void add(List<Object> into, Hocon entry) {
        if (entry != null) {
            into.add(entry);
        }
    }

    private void state(Statement s) {
        String state = s.word(1).orElse("");
        if (state.equals("BACKUP")) {
            return;
        }
        if (!state.equals("MASTER") && !state.equals("BACKUP")) {
            ctx.notes.fallback(s.origin(), "state", "\"" + state + "\" is not MASTER or BACKUP; keepalived starts "
                    + "as BACKUP");
        }
        ctx.notes.note(s.origin(), "state", "vipkeeper starts every instance as BACKUP and the highest priority "
                + "takes over after Master_Down_Interval; give the intended master the higher priority");
    }

    private void vips(Statement block, List<Object> into) {
        for (Statement a : block.children()) {
            into.add(VipImport.map(ctx, a, block.keyword()));
        }
    }

    private void peers(Statement block, List<String> into) {
        for (Statement a : block.children()) {
            into.add(a.keyword());
            if (a.words().size() > 1) {
                ctx.notes.leftOut(a.origin(), "unicast_peer", String.join(" ", a.args()) + ": vipkeeper puts no "
                        + "options on a peer");
            }
        }
    }

    /** The first field's value of a VIP block: its address. */
    private static Object firstValue(Hocon h) {
        Object[] first = {null};
        h.forEach((k, v) -> {
            if (first[0] == null) {
                first[0] = v;
            }
        });
        return first[0];
    }

    private void trackInterfaces(Statement block, List<Object> into, boolean weightless) {
        for (Statement t : block.children()) {
            int weight = 0;
            if (t.word(1).filter("weight"::equals).isPresent()) {
                weight = ctx.integer(t, 2, -254, 254).orElse(0);
            }
            if (weightless && weight != 0) {
                ctx.notes.fallback(t.origin(), t.keyword(), "the instance is in a sync group: keepalived ignores the "
                        + "weight (the interface going down puts the instance in FAULT), and so does the import");
                weight = 0;
            }
            if (weight == 0) {
                into.add(t.keyword());
            } else {
                Hocon h = new Hocon().put("name", t.keyword()).put("weight", weight);
                into.add(h);
            }
        }
    }
}
