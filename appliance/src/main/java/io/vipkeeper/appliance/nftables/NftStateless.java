package io.vipkeeper.appliance.nftables;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Stateless NAT of UDP ({@code forwarding = stateless-nat}, nftlb's stlsdnat) for the netdev table
 * {@link NftDsr} writes: no connection tracking at all. On the interface the VIP's network is on
 * (the clients' side), a datagram to VIP:port while this host holds the VIP gets its destination
 * (and port, where the backend's differs) rewritten to the backend a hash of the client picks
 * ({@code jhash ip saddr [. udp sport]}, the same slots and seed as the NAT path: sh's weighted
 * slots, mh's Maglev table; never per datagram) and is sent out on the backends' interface with
 * {@code fwd ip to <backend> device}, which resolves the next hop's MAC through the neighbour
 * table and builds a new Ethernet header. On the backends' interface a datagram from a backend's
 * address and port that is not for this host gets its source rewritten back to VIP:port and is
 * sent out on the clients' side, to the client itself when it is on that network, else to the
 * gateway of that interface's default route. nft fixes the IP and UDP checksums of each rewrite
 * (the UDP one by the pseudo-header). The backends see the client's address and route their
 * replies through this host. IPv6 alike, in {@code ip6} terms ({@code ip6 daddr set}, {@code fwd
 * ip6 to}, the interface's IPv6 networks and default gateway): its UDP checksum is mandatory, and
 * nft fixes it through the pseudo-header just as for IPv4; {@code fwd} decrements the hop limit.
 */
final class NftStateless {
    /** Marks a stateless-nat service's spec comment in the inet table. */
    static final String MARK = " fwd=" + Forwarding.STATELESS_NAT.configName();

    private NftStateless() {
    }

    /** Where this host's interfaces are, as the script needs them (a snapshot of the moment). */
    interface Links {
        /** The interface whose IPv4 or IPv6 network holds {@code address}, null when none does. */
        String device(java.net.InetAddress address);

        /** The networks of one family on {@code device} ("198.18.112.0/24", "2001:db8:184:2::/64"). */
        List<String> networks(String device, boolean ipv6);

        /** The gateway of {@code device}'s default route of one family, null when it has none. */
        String gateway(String device, boolean ipv6);
    }

    /** Whether {@code svc} forwards by stateless-nat (all of its backends do; see {@link #refusal}). */
    static boolean stateless(DesiredService svc) {
        return svc.dests().values().stream().anyMatch(b -> b.forwarding() == Forwarding.STATELESS_NAT);
    }

    /** Why nftables cannot forward {@code svc} by stateless-nat, or null (also when it is not stateless). */
    static String refusal(DesiredService svc) {
        if (!stateless(svc)) {
            return null;
        }
        if (svc.dests().values().stream().anyMatch(b -> b.forwarding() != Forwarding.STATELESS_NAT)) {
            return "nftables forwards all real servers of a service alike (stateless-nat or not)";
        }
        ServiceKey key = svc.spec().key();
        if (key.isFwmark() || key.hasPorts() || !"udp".equals(NftLayout.protocolName(key))) {
            return "nftables forwards stateless-nat for UDP services on one address and port only";
        }
        String s = svc.spec().scheduler();
        if (!"sh".equals(s) && !"mh".equals(s)) {
            return "stateless-nat has no connection state: only a hash of the client (sh, mh) keeps a flow on one real"
                    + " server";
        }
        return null;
    }

    /**
     * Appends the maps and set of {@code services} (stateless-nat, sorted) to {@code s} and their
     * rules to {@code rules}, by interface. A backend of weight 0, not on a directly connected
     * network or on another interface than most of the service's backends gets no slot; a service
     * whose VIP is on no connected network gets no rule.
     */
    static void append(List<DesiredService> services, Links links, StringBuilder s, Map<String, List<String>> rules) {
        for (DesiredService svc : services) {
            ServiceKey key = svc.spec().key();
            String base = NftLayout.chain(key);
            String vip = NetUtil.toAddressString(key.address());
            // ip or ip6: the maps, set and rules of one family, the client's address hashed as that family's.
            String f = NftLayout.family(key.ipv6());
            s.append("add map ").append(NftDsr.TABLE).append(' ').append(base).append("_a { typeof numgen inc mod 1 : ").append(f).append(" daddr; }\n");
            s.append("add map ").append(NftDsr.TABLE).append(' ').append(base).append("_p { typeof numgen inc mod 1 : udp dport; }\n");
            s.append("add set ").append(NftDsr.TABLE).append(' ').append(base).append("_r { typeof ").append(f).append(" saddr . udp sport; }\n");
            String clients = links.device(key.address());
            if (clients == null) {
                continue; // logged by the caller's lookup; the VIP's datagrams go up the stack
            }
            // In address order, not the table's: a backend added back comes last in the engine's
            // table and in the kernel's order in the one read back from it, and its replies
            // element must be written alike in both, or the script and its stamp differ and the
            // next run reads the table as out of date (a "repaired drift" at every health flap).
            Map<BackendKey, String> device = new TreeMap<>(NftLayout.BACKEND_ORDER);
            for (BackendSpec b : svc.dests().values()) {
                String d = links.device(b.key().address());
                if (d != null) {
                    device.put(b.key(), d);
                }
            }
            // The interface most of its backends are on (the first name on a tie): datagrams leave by one.
            Map<String, Long> perDevice = device.values().stream().collect(Collectors.groupingBy(d -> d, TreeMap::new,
                    Collectors.counting()));
            String backends = perDevice.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(null);
            if (backends == null) {
                continue;
            }
            device.values().removeIf(d -> !d.equals(backends));
            // Every reachable backend's replies are turned back, weight 0 too: a flow moved off it
            // may still have answers on the way.
            List<String> replies = device.keySet().stream().map(b -> NetUtil.toAddressString(b.address()) + " . " + b.port())
                    .toList();
            if (!replies.isEmpty()) {
                s.append("add element ").append(NftDsr.TABLE).append(' ').append(base).append("_r { ")
                        .append(String.join(", ", replies)).append(" }\n");
            }
            String back = f + " saddr . udp sport @" + base + "_r fib daddr type != local " + f + " saddr set " + vip
                    + " udp sport set " + key.port();
            List<String> out = rules.computeIfAbsent(backends, d -> new ArrayList<>());
            List<String> nets = links.networks(clients, key.ipv6());
            if (!nets.isEmpty()) {
                out.add(f + " daddr { " + String.join(", ", nets) + " } " + back + " fwd " + f + " to " + f + " daddr device \""
                        + clients
                        + "\" comment \"vipkeeper " + base + " replies\"");
            }
            String gateway = links.gateway(clients, key.ipv6());
            if (gateway != null) {
                out.add(back + " fwd " + f + " to " + gateway + " device \"" + clients + "\" comment \"vipkeeper " + base
                        + " replies via gateway\"");
            }
            Map<BackendKey, BackendSpec> live = new LinkedHashMap<>();
            device.keySet().forEach(b -> live.put(b, svc.dests().get(b)));
            live.values().removeIf(b -> b.weight() <= 0);
            if (live.isEmpty()) {
                continue; // no backend to send to: the VIP's datagrams go up the stack (and find no listener)
            }
            DesiredService usable = new DesiredService(svc.spec(), live);
            List<String> addresses = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (NftLayout.Slot x : NftLayout.slots(usable)) {
                addresses.add(x.index() + " : " + NetUtil.toAddressString(x.backend().address()));
                ports.add(x.index() + " : " + x.backend().port());
            }
            boolean samePort = live.keySet().stream().allMatch(b -> b.port() == key.port());
            s.append("add element ").append(NftDsr.TABLE).append(' ').append(base).append("_a { ")
                    .append(String.join(", ", addresses)).append(" }\n");
            if (!samePort) {
                s.append("add element ").append(NftDsr.TABLE).append(' ').append(base).append("_p { ")
                        .append(String.join(", ", ports)).append(" }\n");
            }
            NftLayout.Selector sel = NftLayout.selector(usable);
            // The client's end only: the VIP's is the same for every datagram of the service, and
            // stays the hash's input after the destination is rewritten (the port map hashes again).
            String hash = "jhash " + f + " saddr" + ("jhash-port".equals(sel.mode()) ? " . udp sport" : "") + " mod " + sel.mod()
                    + " seed " + NftLayout.hex(sel.seed());
            rules.computeIfAbsent(clients, d -> new ArrayList<>()).add(f + " daddr " + vip + " udp dport " + key.port()
                    // Only while this host holds the VIP, as the NAT path: a backup that sees a flooded frame leaves it.
                    + " fib daddr type local " + f + " daddr set " + hash + " map @" + base + "_a"
                    + (samePort ? "" : " udp dport set " + hash + " map @" + base + "_p")
                    + " fwd " + f + " to " + f + " daddr device \"" + backends + "\" comment \"vipkeeper " + base + "\"");
        }
    }
}
