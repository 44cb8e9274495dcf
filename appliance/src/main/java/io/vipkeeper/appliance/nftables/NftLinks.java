package io.vipkeeper.appliance.nftables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling thread's network namespace as stateless-nat needs it: which interface's IPv4
 * network holds an address, the networks of an interface, and its default route's gateway (from
 * {@code /proc/thread-self/net/route}, the thread's own namespace). An address on no connected
 * network is logged once, not at every run.
 */
final class NftLinks {
    private static final Logger log = LoggerFactory.getLogger(NftLinks.class);
    private static final Path ROUTES = Path.of("/proc/thread-self/net/route");

    private final Set<String> said = new HashSet<>();

    /** A snapshot of the interfaces and default routes of the moment. */
    NftStateless.Links snapshot() {
        Map<String, List<InterfaceAddress>> nets = new TreeMap<>();
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (i.isUp() && !i.isLoopback()) {
                    List<InterfaceAddress> v4 = i.getInterfaceAddresses().stream()
                            .filter(a -> a.getAddress() instanceof Inet4Address && a.getNetworkPrefixLength() < 32).toList();
                    nets.put(i.getName(), v4);
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> gateways = gateways();
        // Once per snapshot, not per address asked.
        Map<String, List<DsrHops.Network>> networks = new TreeMap<>();
        nets.forEach((name, addresses) -> networks.put(name, addresses.stream().map(a -> new DsrHops.Network(
                a.getAddress().getAddress(), a.getNetworkPrefixLength())).toList()));
        return new NftStateless.Links() {
            @Override
            public String device(InetAddress address) {
                String best = DsrHops.longestMatch(networks, address.getAddress());
                if (best != null) {
                    return best;
                }
                if (said.add(address.getHostAddress())) {
                    log.warn("stateless-nat: {} is on no directly connected IPv4 network; left out", address.getHostAddress());
                }
                return null;
            }

            @Override
            public List<String> networks(String device) {
                List<String> out = new ArrayList<>();
                for (InterfaceAddress a : nets.getOrDefault(device, List.of())) {
                    out.add(network(a.getAddress().getAddress(), a.getNetworkPrefixLength()));
                }
                return out.stream().distinct().sorted().toList();
            }

            @Override
            public String gateway(String device) {
                return gateways.get(device);
            }
        };
    }

    /** {@code address}/{@code bits} with the host bits cleared ("198.18.112.0/24"). */
    static String network(byte[] address, int bits) {
        byte[] n = address.clone();
        for (int i = 0; i < n.length * 8; i++) {
            if (i >= bits) {
                n[i / 8] &= (byte) ~(0x80 >>> (i % 8));
            }
        }
        return (n[0] & 0xff) + "." + (n[1] & 0xff) + "." + (n[2] & 0xff) + "." + (n[3] & 0xff) + "/" + bits;
    }

    /** Default routes' gateways by interface, from the kernel's route listing (fields in hex, little-endian). */
    static Map<String, String> gateways() {
        List<String> lines;
        try {
            lines = Files.readAllLines(ROUTES);
        } catch (IOException e) {
            return Map.of();
        }
        return gateways(lines);
    }

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
}
