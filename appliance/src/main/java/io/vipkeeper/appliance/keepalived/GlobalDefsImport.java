package io.vipkeeper.appliance.keepalived;

import java.util.Map;
import java.util.Set;

/**
 * global_defs: the node name, the script user, the default VRRP version and gratuitous-ARP timing,
 * the IPVS sync daemon and connection timeouts; mail, SNMP and DBus have no counterpart.
 */
final class GlobalDefsImport {
    /** keepalived global_defs keywords vipkeeper does the same for always, so nothing is to be written. */
    private static final Set<String> ALWAYS = Set.of("enable_script_security", "vrrp_check_unicast_src",
            "vrrp_skip_check_adv_addr", "script_security");
    private static final Map<String, String> GARP = Map.of("vrrp_garp_master_delay", "master-delay",
            "vrrp_garp_master_repeat", "master-repeat", "vrrp_garp_master_refresh", "master-refresh");
    private static final Set<String> MAIL = Set.of("notification_email", "notification_email_from", "smtp_server",
            "smtp_connect_timeout", "smtp_helo_name", "email_faults", "smtp_alert", "smtp_alert_vrrp",
            "smtp_alert_checker");

    private final ImportContext ctx;

    GlobalDefsImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void map(Statement block) {
        for (Statement s : block.children()) {
            String k = s.keyword();
            if (k.equals("router_id") && s.word(1).isPresent()) {
                ctx.root.comment("router_id: this host's name in logs, status and metrics.");
                ctx.root.put("node-name", s.word(1).get());
            } else if (k.equals("script_user") && s.word(1).isPresent()) {
                String user = Values.user(s);
                ctx.root.comment("script_user: runs every script, check and notify program.");
                ctx.root.put("script-user", user);
            } else if (k.equals("vrrp_version")) {
                ctx.integer(s, 1, 2, 3).ifPresent(v -> ctx.vrrpVersion = v);
            } else if (GARP.containsKey(k)) {
                if (k.equals("vrrp_garp_master_repeat")) {
                    ctx.integer(s, 1, 0, Integer.MAX_VALUE)
                            .ifPresent(v -> ctx.garpDefaults.put(GARP.get(k), Garp.repeat(ctx, s, v)));
                } else {
                    Garp.seconds(ctx, s, k.endsWith("refresh")).ifPresent(v -> ctx.garpDefaults.put(GARP.get(k), v));
                }
            } else if (k.equals("lvs_timeouts")) {
                LvsTimeoutsImport.map(ctx, s);
            } else if (k.equals("lvs_sync_daemon")) {
                // Written after the instances, which it names, so the file reads VRRP then IPVS.
                ctx.syncDaemon = s;
            } else if (ALWAYS.contains(k)) {
                ctx.notes.note(s.origin(), k, "vipkeeper always does this; nothing to write");
            } else if (MAIL.contains(k)) {
                ctx.unsupported(s, "vipkeeper sends no mail: send it from a notify-script (it gets the instance, "
                        + "its state and priority) or alert on the /metrics state gauges");
            } else if (k.startsWith("enable_snmp") || k.startsWith("snmp_") || k.startsWith("enable_dbus")
                    || k.equals("enable_traps")) {
                ctx.unsupported(s, "no SNMP or DBus: read `vipkeeper status`, the JSON API or /metrics");
            } else if (k.equals("vrrp_strict")) {
                ctx.unsupported(s, "vipkeeper always follows the RFC on the wire; what vrrp_strict also refuses "
                        + "(unicast, auth with v3, more than 20 VIPs) check by hand");
            } else {
                ctx.unsupported(s, "no vipkeeper counterpart; see `vipkeeper check` and reference.conf for what it "
                        + "sets instead");
            }
        }
    }
}
