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
        api.checkUnknownKeys();
        if (max == null || perClient == null || idle == null) {
            return null;
        }
        return new ApiSettings(listen, max, perClient, idle);
    }
}
