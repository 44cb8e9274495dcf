package io.vipkeeper.appliance.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keepalived keywords operators write out of habit, each with what vipkeeper calls it: the one
 * table behind "that is keepalived's lb_algo; here it is scheduler" wherever such a keyword turns up
 * in a vipkeeper file (an unknown key, a line in keepalived's "KEYWORD VALUE" syntax). Keywords
 * spelt the same in both (priority, interface, weight, quorum, ...) need no entry.
 */
final class KeepalivedKeywords {
    private static final String TOP = "vipkeeper";
    private static final String INSTANCE = "vipkeeper.vrrp.instances.NAME";
    private static final String SCRIPT = "vipkeeper.vrrp.scripts.NAME";
    private static final String PROCESS = "vipkeeper.vrrp.track-processes.NAME";
    private static final String SERVER = "vipkeeper.ipvs.virtual-servers.NAME";
    private static final String REAL = "an entry of vipkeeper.ipvs.virtual-servers.NAME.real-servers";
    private static final String CHECK = "a virtual or real server";

    /**
     * What one keepalived keyword is in vipkeeper.
     *
     * @param key the vipkeeper key it becomes (dotted, relative to {@code where}), or null when it
     *     becomes no single key
     * @param where the block that key belongs in, named when the keyword was written elsewhere
     * @param instead what to write instead, as the rest of "that is keepalived's X; ..."
     */
    record Entry(String key, String where, String instead) {
    }

    /** Lower-case keepalived keyword to its entry, in the order keepalived.conf(5) lists them. */
    private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

    static {
        whole("global_defs", "the vipkeeper { } block itself holds the global settings (node-name, script-user, ...)");
        put("router_id", "node-name", TOP, "here it is node-name");
        put("script_user", "script-user", TOP, "here it is script-user");
        whole("enable_script_security", "here it is always on: every program is checked before it runs");
        for (String mail : new String[] {"notification_email", "notification_email_from", "smtp_server",
                "smtp_connect_timeout", "smtp_alert"}) {
            whole(mail, "vipkeeper sends no mail: run a notify-script");
        }
        put("lvs_sync_daemon", "sync-daemon", "vipkeeper.ipvs",
                "here it is sync-daemon { instance = \"NAME\", interface = \"IF\", sync-id = N, max-length = N,"
                        + " port = N, ttl = N, group = \"ADDR\" }");
        put("lvs_timeouts", "timeouts", "vipkeeper.ipvs", "here it is timeouts { tcp = 900s, tcp-fin = 120s, udp = 300s }");
        put("lvs_sync_daemon_interface", "sync-daemon", "vipkeeper.ipvs",
                "here it is sync-daemon { instance = \"NAME\", interface = \"IF\" }");

        whole("vrrp_instance", "here it is vipkeeper.vrrp.instances.NAME { ... }");
        whole("vrrp_script", "here it is vipkeeper.vrrp.scripts.NAME { command = [...] }");
        whole("vrrp_sync_group", "here it is vipkeeper.vrrp.sync-groups { NAME = [\"INSTANCE\", ...] }");
        put("state", "priority", INSTANCE,
                "vipkeeper has no initial state: the highest priority becomes MASTER (set priority)");
        put("virtual_router_id", "virtual-router-id", INSTANCE, "here it is virtual-router-id");
        put("vrrp_version", "version", INSTANCE, "here it is version (vipkeeper's default is 3, keepalived's 2)");
        put("advert_int", "advert-interval", INSTANCE,
                "here it is advert-interval, with a unit (advert_int 1 is advert-interval = 1s)");
        put("nopreempt", "preempt", INSTANCE, "here it is preempt = false");
        put("preempt_delay", "preempt-delay", INSTANCE,
                "here it is preempt-delay, with a unit (preempt_delay 30 is preempt-delay = 30s)");
        put("virtual_ipaddress", "virtual-ips", INSTANCE, "here it is virtual-ips = [\"ADDR/PREFIX\", ...]");
        put("virtual_ipaddress_excluded", "excluded-ips", INSTANCE, "here it is excluded-ips = [\"ADDR/PREFIX\", ...]");
        put("virtual_routes", "virtual-routes", INSTANCE,
                "here it is virtual-routes = [{ to = \"PREFIX\", via = \"GW\", table = T }, ...]");
        put("virtual_rules", "virtual-rules", INSTANCE,
                "here it is virtual-rules = [{ from = \"PREFIX\", table = T, priority = P }, ...]");
        put("track_interface", "track-interfaces", INSTANCE,
                "here it is track-interfaces = [{ name = \"IF\", weight = W }, ...]");
        put("track_script", "track-scripts", INSTANCE, "here it is track-scripts = [\"NAME\", ...]");
        put("track_file", "track-files", INSTANCE, "here it is track-files = [\"NAME\", ...] in an instance, each "
                + "defined as vipkeeper.vrrp.track-files.NAME { file = \"/PATH\", weight = W }");
        whole("vrrp_track_file", "here it is vipkeeper.vrrp.track-files.NAME { file = \"/PATH\", weight = W }");
        whole("init_file", "vipkeeper never writes a tracked file: a missing one reads 0; write another value "
                + "before the daemon starts");
        put("track_process", "track-processes", INSTANCE, "here it is track-processes = [\"NAME\", ...]");
        whole("vrrp_track_process", "here it is vipkeeper.vrrp.track-processes.NAME { process = [\"NAME\", ...] }");
        put("param_match", "param-match", PROCESS, "here it is param-match = exact | partial | initial");
        put("quorum_max", "quorum-max", PROCESS, "here it is quorum-max");
        put("fork_delay", "fork-delay", PROCESS, "here it is fork-delay, with a unit (fork_delay 2 is 2s)");
        put("terminate_delay", "terminate-delay", PROCESS,
                "here it is terminate-delay, with a unit (terminate_delay 2 is 2s)");
        put("full_command", "full-command", PROCESS, "here it is full-command = true");
        put("use_vmac", "use-vmac", INSTANCE,
                "here it is use-vmac = true, with vmac-name = \"NAME\" for the macvlan's name");
        put("vmac_xmit_base", "use-vmac", INSTANCE, "with use-vmac and unicast-peers vipkeeper sends from the "
                + "interface already; multicast adverts go from the vmac");
        put("unicast_peer", "unicast-peers", INSTANCE, "here it is unicast-peers = [\"ADDR\", ...]");
        put("unicast_src_ip", "unicast-source", INSTANCE, "here it is unicast-source");
        put("unicast_ttl", "unicast-min-ttl", INSTANCE,
                "here it is unicast-min-ttl, the lowest TTL accepted (vipkeeper always sends 255)");
        put("auth_type", "authentication", INSTANCE, "here it is authentication { type = pass | ah | hmac-sha256 }");
        put("auth_pass", "authentication", INSTANCE, "here it is authentication { password = \"...\" }");
        put("auth_hmac", "authentication", INSTANCE, "here it is authentication { type = hmac-sha256, keys = "
                + "[{ id = 1, key = \"hex:...\" }], active-key = 1 }");
        put("active_key", "authentication", INSTANCE, "here it is authentication.active-key");
        put("anti_replay", "authentication", INSTANCE, "here it is authentication.anti-replay = time | monotonic");
        put("time_window", "authentication", INSTANCE, "here it is authentication.time-window, a duration such as 5s");
        for (String g : new String[] {"delay", "repeat", "refresh"}) {
            put("garp_master_" + g, "garp", INSTANCE, "here it is garp.master-" + g);
        }
        put("notify", "notify-script", INSTANCE,
                "here it is notify-script, one program run with the instance's new state as an argument");
        for (String n : new String[] {"master", "backup", "fault", "stop"}) {
            put("notify_" + n, "notify-" + n, INSTANCE,
                    "here it is notify-" + n + ", one absolute program path run without arguments");
        }
        put("notify_priority_changes", "notify-priority-changes", INSTANCE,
                "here it is notify-priority-changes = true: notify-script runs on each priority change");

        put("script", "command", SCRIPT, "here it is command = [\"/PROGRAM\", \"ARG\", ...], run without a shell");

        whole("virtual_server", "here it is vipkeeper.ipvs.virtual-servers.NAME { address = ..., port = ... }");
        put("lb_algo", "scheduler", SERVER, "here it is scheduler");
        put("lvs_sched", "scheduler", SERVER, "here it is scheduler");
        put("lb_kind", "forwarding", SERVER, "here it is forwarding = nat | dr | tun");
        put("lvs_method", "forwarding", SERVER, "here it is forwarding = nat | dr | tun");
        put("delay_loop", "health-check", SERVER,
                "here it is health-check.interval, with a unit (delay_loop 6 is interval = 6s)");
        put("persistence_timeout", "persistence", SERVER,
                "here it is persistence.timeout, with a unit (persistence_timeout 300 is timeout = 300s)");
        put("persistence_granularity", "persistence", SERVER, "here it is persistence.netmask");
        put("ops", "one-packet", SERVER, "here it is one-packet = true");
        put("sorry_server", "sorry-server", SERVER, "here it is sorry-server = \"ADDR:PORT\"");
        put("inhibit_on_failure", "inhibit-on-failure", SERVER, "here it is inhibit-on-failure = true");
        put("virtualhost", "health-check", CHECK, "here it is health-check.http.virtual-host");
        put("alpha", "health-check", CHECK, "here it is health-check.initial-state = down");
        put("real_server", "real-servers", SERVER,
                "here it is real-servers = [{ address = \"ADDR\", port = PORT, weight = W }, ...]");

        put("uthreshold", "upper-threshold", REAL, "here it is upper-threshold");
        put("lthreshold", "lower-threshold", REAL, "here it is lower-threshold");
        put("notify_up", "notify-up", REAL, "here it is notify-up");
        put("notify_down", "notify-down", REAL, "here it is notify-down");
        for (String[] c : new String[][] {{"TCP_CHECK", "tcp"}, {"HTTP_GET", "http"}, {"SSL_GET", "https"},
                {"UDP_CHECK", "udp"}, {"DNS_CHECK", "dns"}, {"MISC_CHECK", "script"}}) {
            put(c[0], "health-check", CHECK, "here it is health-check { type = " + c[1] + " }");
        }
        put("connect_timeout", "health-check", CHECK, "here it is health-check.timeout");
        put("connect_port", "health-check", CHECK, "here it is health-check.connect-port");
        put("connect_ip", "health-check", CHECK, "here it is health-check.connect-address");
        put("retry", "health-check", CHECK, "here it is health-check.fall");
        put("nb_get_retry", "health-check", CHECK, "here it is health-check.fall");
        put("url", "health-check", CHECK, "here it is health-check.http { path = \"/\", status = [200] }");
        put("status_code", "health-check", CHECK, "here it is health-check.http.status = [200]");
        put("digest", "health-check", CHECK,
                "here it is health-check.http.body-sha256, a SHA-256 of the body (keepalived's digest is MD5)");
        put("misc_path", "health-check", CHECK, "here it is health-check { type = script, script.command = [...] }");
        put("misc_timeout", "health-check", CHECK, "here it is health-check.timeout");
    }

    /** Block keywords that start a section of a keepalived.conf. */
    static final Set<String> SECTIONS = Set.of("global_defs", "vrrp_instance", "vrrp_script", "vrrp_sync_group",
            "virtual_server", "virtual_server_group", "track_file", "vrrp_track_file", "vrrp_track_process", "static_ipaddress",
            "static_routes", "static_rules", "garp_group", "linkbeat_interfaces");

    private KeepalivedKeywords() {
    }

    private static void put(String keyword, String key, String where, String instead) {
        TABLE.put(keyword.toLowerCase(Locale.ROOT), new Entry(key, where, instead));
    }

    private static void whole(String keyword, String instead) {
        put(keyword, null, null, instead);
    }

    /** The whole table, lower-case keyword to entry. */
    static Map<String, Entry> entries() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }

    /** The entry for {@code keyword}, in any case. */
    static Optional<Entry> entry(String keyword) {
        return Optional.ofNullable(TABLE.get(keyword.toLowerCase(Locale.ROOT)));
    }

    /**
     * "that is keepalived's X; here it is Y" for {@code written} (a key or line whose first word is
     * a keepalived keyword) in the block at {@code path} whose keys are {@code known}; the block Y
     * belongs in is named when it is not this one.
     */
    static Optional<String> hint(String written, String path, Set<String> known) {
        String keyword = firstWord(written);
        Optional<Entry> e = entry(keyword);
        if (e.isPresent()) {
            Entry entry = e.get();
            String first = entry.key() == null ? null : entry.key().split("\\.")[0];
            boolean here = first == null || known.contains(first) || path.endsWith(first);
            return Optional.of("that is keepalived's " + keyword + "; " + entry.instead()
                    + (here || entry.where() == null ? "" : " (in " + entry.where() + ")"));
        }
        return Optional.empty();
    }

    /** The text up to the first blank, '{', '=' or ':' (a HOCON key may hold blanks: "vrrp_instance VI_1"). */
    static String firstWord(String written) {
        String s = written.strip();
        int end = 0;
        while (end < s.length() && " \t{=:".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        return s.substring(0, end);
    }
}
