package io.vipkeeper.appliance.nftables;

import io.netty.util.NetUtil;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling thread's network namespace as stateless-nat needs it: which interface's IPv4 or
 * IPv6 network holds an address, the networks of an interface by family ({@link LinkNetworks},
 * over rtnetlink), and its default route's gateway by family: IPv4's from {@code
 * /proc/thread-self/net/route} (the thread's own namespace; it lists the main table only, lowest
 * metric first), IPv6's the main table's over rtnetlink ({@link DefaultRoutes6}: {@code
 * ipv6_route} lists every table, a policy table's default route too, with no table column). An
 * address on no connected network is logged once, not at every run.
 */
final class NftLinks {
    private static final Logger log = LoggerFactory.getLogger(NftLinks.class);
    private static final Path ROUTES = Path.of("/proc/thread-self/net/route");

    private final Set<String> said = new HashSet<>();

    /** A snapshot of the interfaces and default routes of the moment. */
    NftStateless.Links snapshot() {
        // Once per snapshot, not per address asked.
        LinkNetworks links = LinkNetworks.read(l -> true);
        Map<String, List<DsrHops.Network>> networks = links.networks();
        Map<String, String> gateways = gateways(read(ROUTES));
        Map<String, String> gateways6 = gateways6(links.links().values());
        return new NftStateless.Links() {
            @Override
            public String device(InetAddress address) {
                String best = DsrHops.longestMatch(networks, address.getAddress());
                if (best != null) {
                    return best;
                }
                if (said.add(address.getHostAddress())) {
                    log.warn("stateless-nat: {} is on no directly connected network; left out", NetUtil.toAddressString(address));
                }
                return null;
            }

            @Override
            public List<String> networks(String device, boolean ipv6) {
                return networks.getOrDefault(device, List.of()).stream().filter(n -> (n.address().length == 16) == ipv6)
                        .map(n -> network(n.address(), n.bits())).distinct().sorted().toList();
            }

            @Override
            public String gateway(String device, boolean ipv6) {
                return (ipv6 ? gateways6 : gateways).get(device);
            }
        };
    }

    /** {@code address}/{@code bits} with the host bits cleared ("198.18.112.0/24", "2001:db8:184:2::/64"). */
    static String network(byte[] address, int bits) {
        byte[] n = address.clone();
        for (int i = 0; i < n.length * 8; i++) {
            if (i >= bits) {
                n[i / 8] &= (byte) ~(0x80 >>> (i % 8));
            }
        }
        try {
            return NetUtil.toAddressString(InetAddress.getByAddress(n)) + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + n.length + " bytes", e);
        }
    }

    private static List<String> read(Path routes) {
        try {
            return Files.readAllLines(routes);
        } catch (IOException e) {
            return List.of(); // no such family in this kernel: no gateway
        }
    }

    /** IPv4 default routes' gateways by interface, from the kernel's route listing (fields in hex, little-endian). */
    static Map<String, String> gateways(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000") || f[2].equals("00000000")) {
                continue;
            }
            long g = Long.parseLong(f[2], 16);
            out.putIfAbsent(f[0], (g & 0xff) + "." + ((g >> 8) & 0xff) + "." + ((g >> 16) & 0xff) + "." + ((g >> 24) & 0xff));
        }
        return out;
    }

    /**
     * IPv6 default gateways by interface name among {@code links}: the main table's ({@link
     * DefaultRoutes6}); none when the dump fails (no IPv6 in this kernel; logged once). Often a
     * link-local address, which nft's {@code fwd ip6 to ... device} resolves on that device.
     */
    private Map<String, String> gateways6(Collection<LinkInfo> links) {
        Map<Integer, InetAddress> byIndex;
        try {
            byIndex = DefaultRoutes6.gateways();
        } catch (RuntimeException e) {
            if (said.add("ipv6 default routes")) {
                log.warn("stateless-nat: IPv6 default routes not read ({}): replies to off-link IPv6 clients not sent",
                        e.getMessage());
            }
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (LinkInfo l : links) {
            InetAddress g = byIndex.get(l.index());
            if (g != null) {
                out.put(l.name(), NetUtil.toAddressString(g));
            }
        }
        return out;
    }
}
