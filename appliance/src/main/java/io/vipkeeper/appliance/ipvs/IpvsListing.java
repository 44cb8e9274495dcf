package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The kernel table laid out like {@code ipvsadm -Ln} (and {@code --stats}), so operators read it
 * the way they are used to.
 */
public final class IpvsListing {
    private IpvsListing() {
    }

    /** The listing; {@code versionLine} is the first line ("IP Virtual Server version ..."). */
    public static String format(String versionLine, Collection<ActualService> services, boolean stats) {
        StringBuilder sb = new StringBuilder(versionLine).append('\n');
        if (stats) {
            sb.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s%n", "Prot LocalAddress:Port", "Conns",
                    "InPkts", "OutPkts", "InBytes", "OutBytes"));
            sb.append("  -> RemoteAddress:Port\n");
        } else {
            sb.append("Prot LocalAddress:Port Scheduler Flags\n");
            sb.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
        for (ActualService s : sorted(services)) {
            if (stats) {
                sb.append(statsLine(s.spec().key().toString(), s.stats()));
            } else {
                sb.append(s.spec().key()).append(' ').append(s.spec().scheduler()).append(flags(s.spec()))
                        .append('\n');
            }
            for (ActualBackend d : s.dests().values().stream().sorted(DEST_ORDER).toList()) {
                String remote = "  -> " + d.spec().key();
                if (stats) {
                    sb.append(statsLine(remote, d.stats()));
                } else {
                    sb.append(String.format(Locale.ROOT, "%-33s %-7s %-6d %-10d %-10d%n", remote,
                            forward(d.spec().forwarding()), d.spec().weight(), d.activeConnections(),
                            d.inactiveConnections()));
                }
            }
        }
        return sb.toString();
    }

    /** ipvsadm's order: address services before fwmarks, then family, protocol, address, port. */
    static final Comparator<ServiceKey> SERVICE_ORDER = Comparator.comparingLong(ServiceKey::fwmark)
            .thenComparing(ServiceKey::ipv6).thenComparingInt(ServiceKey::protocol)
            .thenComparing(k -> k.address() == null ? new byte[0] : k.address().getAddress(), Arrays::compareUnsigned)
            .thenComparingInt(ServiceKey::port).thenComparing(k -> k.ports().toString());

    /** Real servers by address, then port. */
    static final Comparator<ActualBackend> DEST_ORDER = Comparator
            .comparing((ActualBackend d) -> d.spec().key().address().getAddress(), Arrays::compareUnsigned)
            .thenComparingInt(d -> d.spec().key().port());

    private static List<ActualService> sorted(Collection<ActualService> services) {
        return services.stream().sorted(Comparator.comparing(s -> s.spec().key(), SERVICE_ORDER)).toList();
    }

    private static String statsLine(String label, TrafficCounters st) {
        return String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s%n", label, human(st.connections()),
                human(st.inPackets()), human(st.outPackets()), human(st.inBytes()), human(st.outBytes()));
    }

    /** ipvsadm's scaled numbers: 1234567 prints as 1234K. */
    static String human(long n) {
        if (n < 100_000) {
            return Long.toString(n);
        }
        if (n < 100_000_000L) {
            return n / 1000 + "K";
        }
        if (n < 100_000_000_000L) {
            return n / 1_000_000 + "M";
        }
        return n / 1_000_000_000 + "G";
    }

    /** In ipvsadm's order: scheduler flags (by bit), persistence, one-packet. */
    private static String flags(ServiceSpec s) {
        StringBuilder sb = new StringBuilder();
        List<String> sched = SchedulerFlag.names(s.flags(), s.scheduler());
        if (!sched.isEmpty()) {
            sb.append(" (").append(String.join(",", sched)).append(')');
        }
        if ((s.flags() & ServiceSpec.PERSISTENT) != 0) {
            sb.append(" persistent ").append(s.timeoutSeconds());
            boolean allOnes = s.key().ipv6() ? s.netmask() == 128 : s.netmask() == 0xffffffffL;
            if (!allOnes) {
                sb.append(" mask ").append(s.key().ipv6() ? Long.toString(s.netmask()) : dotted(s.netmask()));
            }
        }
        if ((s.flags() & ServiceSpec.ONE_PACKET) != 0) {
            sb.append(" ops");
        }
        return sb.toString();
    }

    private static String dotted(long mask) {
        return ((mask >>> 24) & 0xff) + "." + ((mask >>> 16) & 0xff) + "." + ((mask >>> 8) & 0xff) + "." + (mask & 0xff);
    }

    private static String forward(Forwarding f) {
        return switch (f) {
            case NAT -> "Masq";
            case DR -> "Route";
            case TUN -> "Tunnel";
            case STATELESS_NAT -> "Stateless";
        };
    }
}
