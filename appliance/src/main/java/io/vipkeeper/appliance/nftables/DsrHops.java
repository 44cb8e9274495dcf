package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds each direct-routing backend's {@link DsrHop} in the calling thread's network namespace:
 * the interface whose IPv4 or IPv6 network holds the backend (dr rewrites MACs, so the backend must
 * be on the same L2; one behind a router is left out) and its MAC from the kernel's neighbour table.
 * A backend without a usable neighbour entry is sent one datagram to its discard port, which makes
 * the kernel resolve it (ARP, or a neighbour solicitation for IPv6), and is left out until a later
 * run finds its MAC. A backend left out is logged once (and once more when it is found), not at
 * every run.
 */
final class DsrHops {
    private static final Logger log = LoggerFactory.getLogger(DsrHops.class);
    /** The discard service (RFC 863): the probe's content does not matter, only the ARP it causes. */
    private static final int DISCARD_PORT = 9;

    private final Set<String> said = new HashSet<>();

    /** A lookup over one snapshot of the interfaces and the neighbour table: null for a backend left out. */
    Function<BackendKey, DsrHop> snapshot() {
        Map<InetAddress, Neighbours.Entry> neighbours = Neighbours.dump();
        // dr rewrites MACs: Ethernet interfaces only.
        LinkNetworks here = LinkNetworks.read(l -> l.mac().length == 6);
        Map<String, LinkInfo> links = here.links();
        Map<String, List<Network>> networks = here.networks();
        Map<BackendKey, DsrHop> found = new HashMap<>();
        return b -> found.computeIfAbsent(b, k -> hop(k.address(), links, networks, neighbours));
    }

    private DsrHop hop(InetAddress backend, Map<String, LinkInfo> links, Map<String, List<Network>> networks,
            Map<InetAddress, Neighbours.Entry> neighbours) {
        String name = longestMatch(networks, backend.getAddress());
        LinkInfo link = name == null ? null : links.get(name);
        if (link == null) {
            once(backend, "not on a directly connected network: dr rewrites MACs, so it must share an L2 network"
                    + " with this host; left out");
            return null;
        }
        Neighbours.Entry n = neighbours.get(backend);
        if (n == null || n.ifindex() != link.index()) {
            once(backend, "has no MAC in the neighbour table on " + link.name() + " yet; asked the kernel to resolve it"
                    + " and left out until it does");
            probe(backend);
            return null;
        }
        if (said.remove(backend.getHostAddress())) {
            log.info("dr real server {} found at {} on {}", backend.getHostAddress(), mac(n.mac()), link.name());
        }
        return new DsrHop(link.name(), mac(link.mac()), mac(n.mac()));
    }

    /** An IPv4 or IPv6 network of an interface: one of its addresses and the prefix length. */
    record Network(byte[] address, int bits) {
    }

    /**
     * The name of the interface whose network holds {@code address} with the longest prefix, as
     * the kernel's route lookup picks; among equals the first by name; null for none.
     */
    static String longestMatch(Map<String, List<Network>> networks, byte[] address) {
        String best = null;
        int bestBits = -1;
        for (String name : new TreeSet<>(networks.keySet())) {
            for (Network n : networks.get(name)) {
                if (n.bits() > bestBits && samePrefix(n.address(), address, n.bits())) {
                    best = name;
                    bestBits = n.bits();
                }
            }
        }
        return best;
    }

    static boolean samePrefix(byte[] a, byte[] b, int bits) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private void once(InetAddress backend, String why) {
        if (said.add(backend.getHostAddress())) {
            log.warn("dr real server {} {}", backend.getHostAddress(), why);
        }
    }

    /** Makes the kernel resolve {@code backend}'s MAC: a datagram to it needs one. */
    private static void probe(InetAddress backend) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(new byte[0], 0, backend, DISCARD_PORT));
        } catch (IOException e) {
            log.debug("probe of {}: {}", backend.getHostAddress(), e.toString());
        }
    }

    static String mac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }
}
