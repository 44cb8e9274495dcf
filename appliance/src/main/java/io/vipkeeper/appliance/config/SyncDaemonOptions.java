package io.vipkeeper.appliance.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The sync daemon's message options (keepalived's {@code lvs_sync_daemon ... maxlen N port N ttl N
 * group ADDR}), each optional: not set takes the kernel's default.
 */
record SyncDaemonOptions(Optional<Integer> maxLength, Optional<InetAddress> group, Optional<Integer> port,
        Optional<Integer> ttl) {
    /** The UDP payload above an IPv4 (20) or IPv6 (40) header and UDP's 8: the kernel's upper bound. */
    private static final int MAX_V4 = 65535 - 28;
    private static final int MAX_V6 = 65535 - 48;

    /** Reads them from a sync-daemon block; null after a problem (reported). */
    static SyncDaemonOptions read(ConfigNode s) {
        boolean ok = true;
        Optional<InetAddress> group = Optional.empty();
        if (s.has("group")) {
            String text = s.string("group");
            Optional<InetAddress> a = text == null ? Optional.empty() : Addresses.parse(text);
            if (text != null && (a.isEmpty() || !a.get().isMulticastAddress())) {
                s.problem("group", "\"" + text + "\" is not a multicast address (the kernel's default is 224.0.0.81)");
                ok = false;
            }
            group = a;
        }
        int max = group.isPresent() && group.get() instanceof Inet6Address ? MAX_V6 : MAX_V4;
        Integer maxLength = s.has("max-length") ? s.integer("max-length", 1, max) : Integer.valueOf(0);
        Integer port = s.has("port") ? s.integer("port", 1, 65535) : Integer.valueOf(0);
        Integer ttl = s.has("ttl") ? s.integer("ttl", 1, 255) : Integer.valueOf(0);
        if (!ok || maxLength == null || port == null || ttl == null) {
            return null;
        }
        return new SyncDaemonOptions(set(maxLength), group, set(port), set(ttl));
    }

    private static Optional<Integer> set(int v) {
        return v == 0 ? Optional.empty() : Optional.of(v);
    }
}
