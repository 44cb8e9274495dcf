package io.vipkeeper.appliance.nftables;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the nft script of one transaction: the table's skeleton (idempotent, so a deleted table
 * comes back), both verdict maps rewritten whole, then each changed service rewritten or removed,
 * then the counter set elements of the backends that left deleted (the data path makes the others,
 * and a rewrite leaves them and their counts alone), one command per set for all the services. A service's rewrite touches only its own chain and maps, so a weight
 * change costs one service, never the table. Deletions first add what they delete (an add of an
 * existing object is a no-op in nft), so a delete of something drift already removed succeeds.
 */
final class NftScript {
    private static final String T = "inet " + NftLayout.TABLE;

    private NftScript() {
    }

    /**
     * The transaction that turns the programmed table {@code from} into {@code to} for the services
     * {@code changed}.
     */
    static String transaction(Map<ServiceKey, DesiredService> from, Map<ServiceKey, DesiredService> to,
            Collection<ServiceKey> changed) {
        return transaction(from, to, changed, Map.of());
    }

    /**
     * The same, with the backends {@code overloaded} (by service) left out of their services' slots
     * ({@link NftOverload}).
     */
    static String transaction(Map<ServiceKey, DesiredService> from, Map<ServiceKey, DesiredService> to,
            Collection<ServiceKey> changed, Map<ServiceKey, Set<BackendKey>> overloaded) {
        StringBuilder s = new StringBuilder();
        skeleton(s);
        NftPersistence.open(s, from, to);
        verdictMaps(s, to);
        CounterElements counts = new CounterElements();
        for (ServiceKey key : changed) {
            DesiredService want = to.get(key);
            Endpoints names = new Endpoints();
            if (want == null) {
                deleteService(s, key, from.get(key));
                if (from.containsKey(key)) {
                    NftPersistence.drop(s, from.get(key).spec());
                }
            } else {
                writeService(s, want, from.get(key), names, overloaded.getOrDefault(key, Set.of()));
            }
            counts.change(key, from.get(key), want, names);
        }
        counts.write(s, to);
        NftPersistence.records(s, from, to);
        return s.toString();
    }

    /**
     * The base table: the two verdict maps, the balanced VIPs, the per-backend counter sets and the
     * hooked chains. The forward chain updates one counter set with each balanced packet (a new
     * connection's first, two), which makes the backend's element if it has none: the element's own
     * counter is the backend's, so no rule per backend and no element up front is needed.
     */
    static void skeleton(StringBuilder s) {
        s.append("add table ").append(T).append('\n');
        for (boolean v6 : new boolean[] {false, true}) {
            String f = NftLayout.family(v6);
            String addr = v6 ? "ipv6_addr" : "ipv4_addr";
            s.append("add map ").append(T).append(' ').append(NftLayout.services(v6)).append(" { typeof ").append(f)
                    .append(" daddr . meta l4proto . tcp dport : verdict; }\n");
            s.append("add map ").append(T).append(' ').append(NftFwmark.marks(v6)).append(" { typeof meta mark : verdict; }\n");
            s.append("add map ").append(T).append(' ').append(NftPorts.ports(v6)).append(NftPorts.declaration(v6)).append('\n');
            s.append("add set ").append(T).append(' ').append(NftLayout.balanced(v6)).append(" { type ").append(addr)
                    .append(" . inet_proto; }\n");
            for (NftLayout.Counted c : NftLayout.Counted.values()) {
                s.append("add set ").append(T).append(' ').append(NftLayout.counters(v6, c)).append(" { type ").append(addr)
                        .append(" . inet_proto . ").append(addr).append(" . inet_service; size ").append(NftLayout.COUNTER_SET_SIZE)
                        .append("; flags dynamic; counter; }\n");
            }
        }
        s.append("add chain ").append(T).append(" prerouting { type nat hook prerouting priority dstnat; policy accept; }\n");
        s.append("add chain ").append(T).append(" forward { type filter hook forward priority filter; policy accept; }\n");
        // The hooked chains are rewritten whole each time: a few rules, and a hand edit is undone.
        s.append("flush chain ").append(T).append(" prerouting\n");
        s.append("flush chain ").append(T).append(" forward\n");
        legacyCounterSets(s);
        for (boolean v6 : new boolean[] {false, true}) {
            String f = NftLayout.family(v6);
            // Only addresses this host holds, as IPVS balances only local ones: a VRRP backup, or a
            // director whose VIP was taken away, forwards what is routed to it instead of balancing.
            // A mark first, as IPVS looks a packet's firewall mark up before its address and port.
            s.append("add rule ").append(T).append(" prerouting ").append(NftFwmark.hookRule(v6)).append('\n');
            s.append("add rule ").append(T).append(" prerouting fib daddr type local ").append(f)
                    .append(" daddr . meta l4proto . th dport vmap @").append(NftLayout.services(v6)).append('\n');
            s.append("add rule ").append(T).append(" prerouting ").append(NftPorts.hookRule(v6)).append('\n');
            for (NftLayout.Counted c : NftLayout.Counted.values()) {
                // ct original daddr is the VIP in both directions; the backend is the packet's own end.
                // Only connections DNATed from a balanced VIP and protocol make elements.
                s.append("add rule ").append(T).append(" forward ct status dnat ").append(c.match).append(" ct original ")
                        .append(f).append(" daddr . meta l4proto @").append(NftLayout.balanced(v6)).append(" update @")
                        .append(NftLayout.counters(v6, c)).append(" { ct original ").append(f)
                        .append(" daddr . meta l4proto . ").append(f).append(' ').append(c.address).append(" . th ")
                        .append(c.port).append(" }\n");
            }
        }
    }

    /**
     * Deletes the counter sets versions before session 29 filled up front (declared first, as they
     * were, so the delete cannot fail; the forward chain that looked them up was flushed above).
     */
    private static void legacyCounterSets(StringBuilder s) {
        for (boolean v6 : new boolean[] {false, true}) {
            String addr = v6 ? "ipv6_addr" : "ipv4_addr";
            for (NftLayout.Counted c : NftLayout.Counted.values()) {
                String set = NftLayout.legacyCounters(v6, c);
                s.append("add set ").append(T).append(' ').append(set).append(" { type ").append(addr)
                        .append(" . inet_proto . ").append(addr).append(" . inet_service; counter; }\n");
                s.append("delete set ").append(T).append(' ').append(set).append('\n');
            }
        }
    }

    /**
     * Rewrites both verdict maps whole from {@code to}: every service's chain is declared first (a
     * no-op where it exists), then each map is flushed and refilled. A hundred elements cost
     * little, and an entry someone added, pointed elsewhere or gave another verdict is gone after
     * any transaction, where adding the service's own entry beside it failed ("File exists").
     */
    static void verdictMaps(StringBuilder s, Map<ServiceKey, DesiredService> to) {
        for (ServiceKey key : to.keySet()) {
            s.append("add chain ").append(T).append(' ').append(NftLayout.chain(key)).append('\n');
        }
        for (boolean v6 : new boolean[] {false, true}) {
            s.append("flush map ").append(T).append(' ').append(NftLayout.services(v6)).append('\n');
            String elements = to.keySet().stream().filter(k -> k.ipv6() == v6 && !k.isFwmark() && !k.hasPorts())
                    .map(k -> serviceElement(k) + " : goto " + NftLayout.chain(k)).collect(Collectors.joining(", "));
            if (!elements.isEmpty()) {
                s.append("add element ").append(T).append(' ').append(NftLayout.services(v6)).append(" { ").append(elements)
                        .append(" }\n");
            }
            s.append("flush set ").append(T).append(' ').append(NftLayout.balanced(v6)).append('\n');
            String balanced = to.keySet().stream().filter(k -> k.ipv6() == v6 && !k.isFwmark())
                    .map(k -> counterPrefix(k).substring(0, counterPrefix(k).length() - 3)).distinct().sorted()
                    .collect(Collectors.joining(", "));
            if (!balanced.isEmpty()) {
                s.append("add element ").append(T).append(' ').append(NftLayout.balanced(v6)).append(" { ").append(balanced)
                        .append(" }\n");
            }
            s.append("flush map ").append(T).append(' ').append(NftFwmark.marks(v6)).append('\n');
            String marks = to.keySet().stream().filter(k -> k.ipv6() == v6 && k.isFwmark())
                    .map(k -> k.fwmark() + " : goto " + NftLayout.chain(k)).collect(Collectors.joining(", "));
            if (!marks.isEmpty()) {
                s.append("add element ").append(T).append(' ').append(NftFwmark.marks(v6)).append(" { ").append(marks).append(" }\n");
            }
            s.append("flush map ").append(T).append(' ').append(NftPorts.ports(v6)).append('\n');
            String ports = to.keySet().stream().filter(k -> k.ipv6() == v6 && k.hasPorts()).map(NftPorts::elements)
                    .collect(Collectors.joining(", "));
            if (!ports.isEmpty()) {
                s.append("add element ").append(T).append(' ').append(NftPorts.ports(v6)).append(" { ").append(ports).append(" }\n");
            }
        }
    }

    /**
     * Each backend's address . port as the script writes it, made once per service: a wrr service
     * of 100 backends names each in about three slots and its weight.
     */
    static final class Endpoints {
        private final Map<BackendKey, String> names = new HashMap<>();

        String of(BackendKey b) {
            return names.computeIfAbsent(b, NftScript::endpoint);
        }

        String target(BackendKey b, boolean portless) {
            return portless ? NetUtil.toAddressString(b.address()) : of(b);
        }
    }

    /**
     * The counter set elements of a transaction's backends that leave: the data path makes a
     * backend's elements with its first packets ({@link NftLayout#counters}), so none is written up
     * front (30,000 at 100 x 100 were more than half of nft's time from empty), and the ones of a
     * backend that leaves are deleted in the transaction that removes it, added first so the delete
     * cannot fail where the data path made none. Written at the end, one command per set for all
     * services. An element another service of {@code to} still names (same VIP and protocol, same
     * backend address and port) is not deleted.
     */
    static final class CounterElements {
        private final Set<String> gone4 = new LinkedHashSet<>();
        private final Set<String> gone6 = new LinkedHashSet<>();

        void change(ServiceKey key, DesiredService from, DesiredService to, Endpoints names) {
            if (key.isFwmark() || from == null) {
                return; // no VIP of its own to key the elements by: a mark service has no per-backend counts
            }
            // A real server without a port takes the packet's: no element can name the port it is counted by.
            Set<BackendKey> keep = to == null ? Set.of() : to.dests().keySet();
            String service = counterPrefix(key);
            Set<String> gone = key.ipv6() ? gone6 : gone4;
            for (BackendKey b : sorted(from.dests().keySet())) {
                if (b.port() != 0 && !keep.contains(b)) {
                    gone.add(service + names.of(b));
                }
            }
        }

        void write(StringBuilder s, Map<ServiceKey, DesiredService> to) {
            for (boolean v6 : new boolean[] {false, true}) {
                Set<String> gone = v6 ? gone6 : gone4;
                if (!gone.isEmpty()) {
                    gone.removeAll(stillNamed(to, gone, v6));
                }
                if (gone.isEmpty()) {
                    continue;
                }
                String goneList = String.join(", ", gone);
                for (NftLayout.Counted c : NftLayout.Counted.values()) {
                    String set = NftLayout.counters(v6, c);
                    s.append("add element ").append(T).append(' ').append(set).append(" { ").append(goneList).append(" }\n");
                    s.append("delete element ").append(T).append(' ').append(set).append(" { ").append(goneList).append(" }\n");
                }
            }
        }

        /** The counter elements of {@code to}'s services that share a VIP and protocol with one of {@code gone}. */
        private static Set<String> stillNamed(Map<ServiceKey, DesiredService> to, Set<String> gone, boolean v6) {
            Set<String> out = new HashSet<>();
            for (DesiredService svc : to.values()) {
                ServiceKey key = svc.spec().key();
                if (key.ipv6() != v6 || key.isFwmark()) {
                    continue;
                }
                String service = counterPrefix(key);
                if (gone.stream().noneMatch(g -> g.startsWith(service))) {
                    continue;
                }
                for (BackendKey b : svc.dests().keySet()) {
                    if (b.port() != 0) {
                        out.add(service + endpoint(b));
                    }
                }
            }
            return out;
        }
    }

    /** {@code backends} in {@link NftLayout#BACKEND_ORDER}. */
    private static List<BackendKey> sorted(Collection<BackendKey> backends) {
        List<BackendKey> out = new ArrayList<>(backends);
        out.sort(NftLayout.BACKEND_ORDER);
        return out;
    }

    /**
     * Creates or rewrites a service's chain, weight map and slot map (its verdict map entry is
     * {@link #verdictMaps}'s). The slot
     * map is changed by difference when {@code was} (the service as programmed, or null) is one
     * this engine wrote: an mh change then touches only the slots that moved, about 1/N of
     * thousands, instead of refilling all of them. A service read back as drifted carries a marked
     * scheduler, so it is refilled whole.
     */
    static void writeService(StringBuilder s, DesiredService svc, DesiredService was, Endpoints names) {
        writeService(s, svc, was, names, Set.of());
    }

    /**
     * The same with the backends {@code overloaded} out of the slots. A service with connection
     * thresholds (before or after) has its slot map refilled whole: which backends {@code was}
     * had slots for depends on an overload decided after it was written.
     */
    static void writeService(StringBuilder s, DesiredService svc, DesiredService was, Endpoints names,
            Set<BackendKey> overloaded) {
        ServiceKey key = svc.spec().key();
        String f = NftLayout.family(key.ipv6());
        String chain = NftLayout.chain(key);
        String proto = NftFwmark.protocolMatch(key);
        // Its chain exists: verdictMaps declared the chain of every service it writes.
        s.append("flush chain ").append(T).append(' ').append(chain).append('\n');
        declareMaps(s, key);
        s.append("flush map ").append(T).append(' ').append(NftLayout.weights(key)).append('\n');
        String map = NftFwmark.slotMap(svc);
        boolean portless = NftFwmark.portless(svc);
        List<NftLayout.Slot> slots = NftLayout.slots(svc, overloaded);
        // By difference, and only over what this engine wrote there (a drifted service is refilled).
        List<NftLayout.Slot> before = was == null || !NftLayout.implemented(was.spec().scheduler())
                || thresholds(svc) || thresholds(was)
                || !map.equals(NftFwmark.slotMap(was)) || NftFwmark.recreated(svc) ? null : NftLayout.slots(was);
        if (NftFwmark.recreated(svc)) {
            s.append("delete map ").append(T).append(' ').append(map).append('\n');
            declareMaps(s, key);
        } else if (before == null) {
            s.append("flush map ").append(T).append(' ').append(map).append('\n');
        } else {
            Set<NftLayout.Slot> keep = new HashSet<>(slots);
            List<NftLayout.Slot> gone = before.stream().filter(x -> !keep.contains(x)).toList();
            if (!gone.isEmpty()) {
                s.append("delete element ").append(T).append(' ').append(map).append(" { ")
                        .append(gone.stream().map(x -> Long.toString(x.index())).collect(Collectors.joining(", "))).append(" }\n");
            }
        }
        if (!svc.dests().isEmpty()) {
            s.append("add element ").append(T).append(' ').append(NftLayout.weights(key)).append(" {");
            String sep = " ";
            for (BackendKey b : sorted(svc.dests().keySet())) {
                s.append(sep).append(names.of(b)).append(" : ").append(svc.dests().get(b).weight());
                sep = ", ";
            }
            s.append(" }\n");
        }
        thresholdMap(s, svc, was, names);
        Set<NftLayout.Slot> had = before == null ? Set.of() : new HashSet<>(before);
        boolean any = false;
        for (NftLayout.Slot x : slots) {
            if (!had.contains(x)) {
                s.append(any ? ", " : "add element " + T + " " + map + " { ");
                s.append(x.index()).append(" : ").append(names.target(x.backend(), portless));
                any = true;
            }
        }
        if (any) {
            s.append(" }\n");
        }
        // Added when missing, left with its count when there (an add of an existing object changes nothing).
        s.append("add counter ").append(T).append(' ').append(NftLayout.connections(key)).append('\n');
        NftPersistence.lookup(s, svc, was);
        // With persistence the lookup rule before this one counts every connection (NftPersistence.countingRule).
        s.append("add rule ").append(T).append(' ').append(chain).append(" meta l4proto ").append(proto)
                .append(NftPersistence.persistent(svc.spec()) ? " counter" : NftLayout.countConnection(key));
        NftLayout.Selector sel = NftLayout.selector(svc, slots);
        boolean dr = NftDsr.netdev(svc);
        // A dr or stateless-nat service's frames never get here (netdev ingress sent them on): nothing to dnat.
        if (sel.mod() > 0 && !dr) {
            String pick = switch (sel.mode()) {
                case "jhash" -> "jhash " + f + " saddr mod " + sel.mod() + " seed " + NftLayout.hex(sel.seed());
                case "jhash-port" -> "jhash " + f + " saddr . th sport mod " + sel.mod() + " seed " + NftLayout.hex(sel.seed());
                case "symhash" -> "symhash mod " + sel.mod();
                default -> "numgen " + sel.mode() + " mod " + sel.mod();
            };
            s.append(" dnat ").append(f).append(" to ").append(pick).append(" map @").append(map);
        }
        s.append(" comment \"").append(NftLayout.comment(svc.spec())).append(NftDsr.mark(svc)).append("\"\n");
        // Its ports may have changed kind, and an earlier version's interval map may be there: the
        // maps no rule refers to go.
        for (String other : NftFwmark.slotMaps(key)) {
            if (!other.equals(map)) {
                s.append("delete map ").append(T).append(' ').append(other).append('\n');
            }
        }
        for (String legacy : NftFwmark.legacySlotMaps(key)) {
            s.append("delete map ").append(T).append(' ').append(legacy).append('\n');
        }
    }

    /** Whether a backend of {@code svc} has a connection threshold (so its service has a threshold map). */
    static boolean thresholds(DesiredService svc) {
        return svc.dests().values().stream().anyMatch(b -> b.upperThreshold() > 0 || b.lowerThreshold() > 0);
    }

    /**
     * Writes the threshold map of {@code svc} whole when a backend has a threshold, deletes it when
     * {@code was} had one and {@code svc} has none; a service without thresholds has no such map.
     */
    private static void thresholdMap(StringBuilder s, DesiredService svc, DesiredService was, Endpoints names) {
        ServiceKey key = svc.spec().key();
        String map = NftLayout.thresholds(key);
        if (thresholds(svc) || was != null && thresholds(was)) {
            declareThresholds(s, key);
        }
        if (!thresholds(svc)) {
            if (was != null && thresholds(was)) {
                s.append("delete map ").append(T).append(' ').append(map).append('\n');
            }
            return;
        }
        s.append("flush map ").append(T).append(' ').append(map).append('\n');
        s.append("add element ").append(T).append(' ').append(map).append(" {");
        String sep = " ";
        for (BackendKey b : sorted(svc.dests().keySet())) {
            BackendSpec d = svc.dests().get(b);
            if (d.upperThreshold() > 0 || d.lowerThreshold() > 0) {
                s.append(sep).append(names.of(b)).append(" : ").append(d.upperThreshold()).append(" . ").append(d.lowerThreshold());
                sep = ", ";
            }
        }
        s.append(" }\n");
    }

    private static void declareThresholds(StringBuilder s, ServiceKey key) {
        s.append("add map ").append(T).append(' ').append(NftLayout.thresholds(key)).append(" { typeof ")
                .append(NftLayout.family(key.ipv6())).append(" daddr . ").append(NftFwmark.portExpression(key))
                .append(" dport : meta mark . meta mark; }\n");
    }

    /** Removes a service's chain and maps (added first, so each exists); {@code was} is the service as programmed, or null. */
    static void deleteService(StringBuilder s, ServiceKey key, DesiredService was) {
        if (was != null && thresholds(was)) {
            declareThresholds(s, key);
            s.append("delete map ").append(T).append(' ').append(NftLayout.thresholds(key)).append('\n');
        }
        String chain = NftLayout.chain(key);
        // Its verdict map entry is already gone: verdictMaps rewrote the map without it.
        s.append("add chain ").append(T).append(' ').append(chain).append('\n');
        s.append("flush chain ").append(T).append(' ').append(chain).append('\n');
        s.append("delete chain ").append(T).append(' ').append(chain).append('\n');
        s.append("add counter ").append(T).append(' ').append(NftLayout.connections(key)).append('\n');
        s.append("delete counter ").append(T).append(' ').append(NftLayout.connections(key)).append('\n');
        declareMaps(s, key);
        s.append("delete map ").append(T).append(' ').append(NftLayout.weights(key)).append('\n');
        for (String map : NftFwmark.slotMaps(key)) {
            s.append("delete map ").append(T).append(' ').append(map).append('\n');
        }
        for (String legacy : NftFwmark.legacySlotMaps(key)) {
            s.append("delete map ").append(T).append(' ').append(legacy).append('\n');
        }
    }

    /**
     * Adds the service's weight and slot maps (a no-op for maps that exist), and the interval maps
     * of earlier versions as they were, so that deleting them cannot fail.
     */
    private static void declareMaps(StringBuilder s, ServiceKey key) {
        String f = NftLayout.family(key.ipv6());
        String proto = NftFwmark.portExpression(key);
        s.append("add map ").append(T).append(' ').append(NftLayout.weights(key)).append(" { typeof ").append(f)
                .append(" daddr . ").append(proto).append(" dport : meta mark; }\n");
        String endpoint = f + " daddr . " + proto + " dport";
        s.append("add map ").append(T).append(' ').append(NftLayout.slotMap(key)).append(" { typeof numgen inc mod 1 : ")
                .append(endpoint).append("; }\n");
        s.append("add map ").append(T).append(' ').append(NftLayout.legacySlots(key)).append(" { typeof numgen inc mod 1 : ")
                .append(endpoint).append("; flags interval; }\n");
        if (NftFwmark.keepsPorts(key)) {
            s.append("add map ").append(T).append(' ').append(NftFwmark.addressSlots(key)).append(" { typeof numgen inc mod 1 : ")
                    .append(f).append(" daddr; }\n");
            s.append("add map ").append(T).append(' ').append(NftFwmark.legacyAddressSlots(key))
                    .append(" { typeof numgen inc mod 1 : ").append(f).append(" daddr; flags interval; }\n");
        }
    }

    private static String serviceElement(ServiceKey key) {
        return counterPrefix(key) + key.port();
    }

    /** "VIP . protocol . ", the start of a service's elements and of its backends' counter elements. */
    private static String counterPrefix(ServiceKey key) {
        return NetUtil.toAddressString(key.address()) + " . " + NftLayout.protocolName(key) + " . ";
    }

    /** A backend as its elements name it: "address . port". */
    private static String endpoint(BackendKey b) {
        return NetUtil.toAddressString(b.address()) + " . " + b.port();
    }
}
