package io.vipkeeper.appliance.config;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code ipvs.timeouts}: the kernel's IPVS connection timeouts, whole seconds, each optional. */
final class TimeoutsReader {
    /**
     * The kernel stores a timeout times HZ in an int and refuses more than INT_MAX / HZ seconds
     * (ip_vs_set_timeout); this bound holds for any HZ up to 1000.
     */
    static final long MAX_SECONDS = Integer.MAX_VALUE / 1000;

    private TimeoutsReader() {
    }

    /** The timeouts set, or null after a problem (reported). */
    static IpvsSettings.Timeouts read(ConfigNode t) {
        Optional<Duration> tcp = one(t, "tcp");
        Optional<Duration> tcpFin = one(t, "tcp-fin");
        Optional<Duration> udp = one(t, "udp");
        t.checkUnknownKeys();
        return tcp == null || tcpFin == null || udp == null ? null : new IpvsSettings.Timeouts(tcp, tcpFin, udp);
    }

    /** Empty when not set, null after a problem. */
    private static Optional<Duration> one(ConfigNode t, String key) {
        if (!t.has(key)) {
            return Optional.empty();
        }
        Duration d = t.duration(key, Duration.ofSeconds(1), Duration.ofSeconds(MAX_SECONDS));
        if (d != null && d.toNanos() % 1_000_000_000L != 0) {
            t.problem(key, Durations.format(d) + " is not whole seconds (IPVS counts seconds)");
            return null;
        }
        return d == null ? null : Optional.of(d);
    }
}
