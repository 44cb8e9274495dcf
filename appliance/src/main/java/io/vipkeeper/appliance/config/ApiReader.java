package io.vipkeeper.appliance.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/** Reads the {@code api} block into {@link ApiSettings}. */
final class ApiReader {
    /**
     * The highest {@code max-connections}: each connection may hold an 8 KiB request in the 64 MB
     * heap (systemd/jvm-options) and a descriptor of the 65536 the unit allows, so 1024 bounds the
     * API to 8 MiB and under 2% of the descriptors even when misconfigured.
     */
    static final int MAX_CONNECTIONS = 1024;

    /** A group name as useradd(8) and /etc/group take it (a name that starts with a digit looks like a gid). */
    private static final java.util.regex.Pattern GROUP_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    private ApiReader() {
    }

    /** The settings, or null when the block has a problem (recorded in the node's problems). */
    static ApiSettings read(ConfigNode api) {
        Optional<InetSocketAddress> listen = api.optionalString("listen").flatMap(s -> {
            Optional<InetSocketAddress> a = Addresses.parseSocket(s);
            if (a.isEmpty()) {
                api.problem("listen", "\"" + s + "\" is not ADDR:PORT (IPv6 as [ADDR]:PORT), or \"\" to disable");
            }
            return a;
        });
        Integer max = api.integer("max-connections", 1, MAX_CONNECTIONS);
        Integer perClient = api.integer("max-connections-per-client", 1, MAX_CONNECTIONS);
        if (max != null && perClient != null && perClient > max) {
            api.problem("max-connections-per-client", perClient + " is more than max-connections (" + max + ")");
            perClient = null;
        }
        Duration idle = api.duration("idle-timeout", Duration.ofMillis(100), Duration.ofMinutes(10));
        Optional<String> group = api.optionalString("control-group").map(String::strip).filter(g -> !g.isEmpty());
        if (group.isPresent() && !GROUP_NAME.matcher(group.get()).matches()) {
            api.problem("control-group", "\"" + group.get() + "\" is not a group name (letters, digits, _ . -; not"
                    + " starting with - or a digit), or \"\" for root only");
            group = null;
        }
        api.checkUnknownKeys();
        if (max == null || perClient == null || idle == null || group == null) {
            return null;
        }
        return new ApiSettings(listen, max, perClient, idle, group);
    }
}
