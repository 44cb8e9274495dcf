package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.Forwarding;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The nftables rules that masquerade traffic from the load balancer to the NAT real servers of
 * services with {@code snat = true} (or translate its source to the service's {@code
 * snat-address}), so backends on the clients' subnet answer through the load balancer. All in vipkeeper's own table, replaced as a whole in one transaction (as kube-proxy's
 * nftables mode does); each rule matches only its service's real servers and ports.
 */
public final class SnatRules {
    /** vipkeeper's table; nothing else is ever touched. */
    public static final String TABLE = "inet vipkeeper";

    private SnatRules() {
    }

    /** The rules for {@code s}, one per SNAT service (empty: no table is needed). */
    public static List<String> rules(IpvsSettings s) {
        return rules(s, java.util.Map.of());
    }

    /**
     * The rules for {@code s} and for the NAT destinations of its SNAT services still in the kernel
     * ({@code inKernel}): a removed real server drains through its masquerade rule (were the rule
     * gone first, a connection scheduled to it in between would get no SNAT and fail).
     */
    public static List<String> rules(IpvsSettings s, java.util.Map<io.vipkeeper.appliance.dataplane.ServiceKey,
            io.vipkeeper.appliance.dataplane.ActualService> inKernel) {
        List<String> rules = new ArrayList<>();
        s.virtualServers().forEach((name, vs) -> {
            if (vs.snat()) {
                io.vipkeeper.appliance.dataplane.ActualService k = inKernel.get(vs.key());
                List<java.net.InetSocketAddress> draining = new ArrayList<>();
                if (k != null) {
                    k.dests().values().stream().filter(d -> d.spec().forwarding() == Forwarding.NAT)
                            .forEach(d -> draining.add(new java.net.InetSocketAddress(d.spec().key().address(),
                                    d.spec().key().port())));
                }
                rule(name, vs, draining).ifPresent(rules::add);
            }
        });
        return rules;
    }

    private static java.util.Optional<String> rule(String name, VirtualServer vs,
            List<java.net.InetSocketAddress> inKernel) {
        // The sorry server too: it takes the real servers' place, with the service's forwarding.
        List<java.net.InetSocketAddress> nat = new ArrayList<>();
        for (RealServer rs : vs.realServers()) {
            if (rs.forwarding() == Forwarding.NAT) {
                nat.add(new java.net.InetSocketAddress(rs.address(), rs.port()));
            }
        }
        if (vs.forwarding() == Forwarding.NAT) {
            vs.sorryServer().ifPresent(nat::add);
        }
        nat.addAll(inKernel);
        if (nat.isEmpty()) {
            return java.util.Optional.empty();
        }
        String family = vs.ipv6() ? "ip6" : "ip";
        boolean ports = vs.fwmark() == 0 && nat.stream().allMatch(a -> a.getPort() != 0);
        java.util.Set<String> targetSet = new java.util.LinkedHashSet<>();
        for (java.net.InetSocketAddress a : nat) {
            targetSet.add(io.netty.util.NetUtil.toAddressString(a.getAddress()) + (ports ? " . " + a.getPort() : ""));
        }
        StringJoiner targets = new StringJoiner(", ", "{ ", " }");
        targetSet.forEach(targets::add);
        String match = ports ? family + " daddr . " + vs.protocol().configName() + " dport " + targets
                : family + " daddr " + targets;
        // The director's own connections to the real servers (health checks) keep their source:
        // translated to a VIP, a backup's checks would wait for answers sent to an address it lacks.
        String translation = vs.snatAddress().map(a -> "fib saddr type != local snat " + family + " to "
                + io.netty.util.NetUtil.toAddressString(a)).orElse("masquerade");
        return java.util.Optional.of(match + " ct direction original " + translation + " comment \""
                + name.replace("\"", "") + "\"");
    }

    /** An {@code nft -f} script that replaces the table with {@code rules} atomically, or removes it. */
    public static String script(List<String> rules) {
        StringBuilder sb = new StringBuilder();
        // Declaring the table first makes the delete valid whether or not it exists.
        sb.append("table ").append(TABLE).append(" {}\n").append("delete table ").append(TABLE).append('\n');
        if (!rules.isEmpty()) {
            sb.append("table ").append(TABLE).append(" {\n")
                    .append("  chain postrouting {\n")
                    .append("    type nat hook postrouting priority srcnat; policy accept;\n");
            for (String r : rules) {
                sb.append("    ").append(r).append('\n');
            }
            sb.append("  }\n}\n");
        }
        return sb.toString();
    }
}
