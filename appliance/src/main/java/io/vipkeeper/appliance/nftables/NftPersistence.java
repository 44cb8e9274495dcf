package io.vipkeeper.appliance.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Persistence (client affinity), the nftables way. A persistent service has a dynamic map {@code
 * svc_..._p} of client address (masked by the granularity) to backend address . port (IPv4) or
 * backend address alone (IPv6, see below), with a timeout per element. Its chain gets a rule before the scheduling one that DNATs a
 * client found in the map to its recorded backend; a client not found falls through to the
 * scheduler as before. The record is written after DNAT, when the backend is known: the base
 * chain {@code persist} (filter, prerouting, priority dstnat + 10) has one rule per persistent
 * service that, for a new DNATed connection to its VIP and port, does {@code update @map { client
 * timeout T : ip daddr . th dport }}: a new client is recorded, a known one has its timeout
 * refreshed (an update leaves an existing element's value alone), as IPVS refreshes its
 * persistence template. A backend that leaves the live set (removed, weight 0) has its elements
 * deleted in the transaction that takes it out of the slot map, so no new connection follows an
 * old record to it; the reader calls an element that points elsewhere drift, which repairs the
 * few recorded between the listing and the commit. IPv6 records the backend's address only: nft
 * 1.0.6 aborts (an assertion in netlink_linearize.c) on a map update whose value is an IPv6 address
 * . port, which in the daemon's process would end it. So an IPv6 service's real servers must share
 * one port ({@link #refusal}), which the lookup rule writes as a constant ({@code dnat ip6 to ip6
 * saddr map @p : 8080}). nft 1.0.6 has no JSON form for the map update either: a
 * JSON listing prints it as its text (which {@link #drift} compares) and warns on C's stderr,
 * which {@link QuietStderr} silences.
 */
final class NftPersistence {
    /** The base chain that records each persistent service's choices after DNAT. */
    static final String CHAIN = "persist";
    private static final String T = "inet " + NftLayout.TABLE;
    /**
     * Elements at most per map: a client network each; a full map records no more (new clients are
     * still balanced, without a record, until entries time out). Every full read of the table lists
     * each map whole into the daemon's heap (64 MB in the unit): 200,000 records ran it out of
     * memory in a review, so the bound is what a read holds with room to spare for several
     * persistent services (about 100 bytes of JSON a record).
     */
    static final int SIZE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private NftPersistence() {
    }

    /** Whether the service keeps clients on their backend. */
    static boolean persistent(ServiceSpec spec) {
        return (spec.flags() & ServiceSpec.PERSISTENT) != 0 && spec.timeoutSeconds() > 0;
    }

    /** Its map of client (network) to backend address . port. */
    static String map(ServiceKey key) {
        return NftLayout.chain(key) + "_p";
    }

    /** The client's key as nft writes and prints it: the source address, masked unless the mask is whole. */
    static String clientKey(ServiceSpec spec) {
        if (spec.key().ipv6()) {
            return spec.netmask() >= 128 ? "ip6 saddr" : "ip6 saddr & " + mask6(spec.netmask());
        }
        long mask = spec.netmask() & 0xffffffffL;
        if (mask == 0xffffffffL) {
            return "ip saddr";
        }
        return "ip saddr & " + ((mask >> 24) & 0xff) + "." + ((mask >> 16) & 0xff) + "." + ((mask >> 8) & 0xff) + "."
                + (mask & 0xff);
    }

    /** An IPv6 prefix length as the mask nft writes and prints: 64 as ffff:ffff:ffff:ffff::. */
    static String mask6(long prefix) {
        byte[] b = new byte[16];
        for (int i = 0; i < prefix && i < 128; i++) {
            b[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return NetUtil.bytesToIpAddress(b);
    }

    /** A timeout as nft prints it: 300 as 5m, 3661 as 1h1m1s. */
    static String duration(long seconds) {
        StringBuilder s = new StringBuilder();
        long[] units = {86400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        long left = seconds;
        for (int i = 0; i < units.length; i++) {
            if (left >= units[i]) {
                s.append(left / units[i]).append(names[i]);
                left %= units[i];
            }
        }
        return s.length() == 0 ? "0s" : s.toString();
    }

    /** The record statement of the service, exactly as nft lists it back. */
    static String update(ServiceSpec spec) {
        String value = spec.key().ipv6() ? "ip6 daddr" : "ip daddr . " + NftLayout.protocolName(spec.key()) + " dport";
        return "update @" + map(spec.key()) + " { " + clientKey(spec) + " timeout " + duration(spec.timeoutSeconds())
                + " : " + value + " }";
    }

    /**
     * Declares the service's map and writes its lookup rule (call before the scheduling rule), or
     * removes a map a non-persistent service no longer uses. A changed granularity empties the map,
     * whose keys were masked the old way.
     */
    static void lookup(StringBuilder s, DesiredService svc, DesiredService was) {
        ServiceKey key = svc.spec().key();
        if (!persistent(svc.spec())) {
            if (was != null) {
                drop(s, was.spec());
            }
            return;
        }
        declare(s, key);
        if (was != null && persistent(was.spec()) && was.spec().netmask() != svc.spec().netmask()) {
            s.append("flush map ").append(T).append(' ').append(map(key)).append('\n');
        }
        s.append("add rule ").append(T).append(' ').append(NftLayout.chain(key)).append(" meta l4proto ")
                .append(NftLayout.protocolName(key)).append(NftLayout.countConnection(key)).append(" dnat ")
                .append(NftLayout.family(key.ipv6())).append(" to ").append(clientKey(svc.spec())).append(" map @").append(map(key));
        if (key.ipv6()) {
            s.append(" : ").append(port(svc));
        }
        s.append('\n');
    }

    /**
     * Removes the map of a service that was persistent as {@code was} says, or read back drifted
     * (a map may be left then); added first, so it exists.
     */
    static void drop(StringBuilder s, ServiceSpec was) {
        // A mark or port-list service is never persistent here (it has no one protocol and port to
        // record), so it never had a map: there is nothing to declare, and nft could not.
        if (was.key().isFwmark() || was.key().hasPorts()) {
            return;
        }
        if (persistent(was) || !NftLayout.implemented(was.scheduler())) {
            declare(s, was.key());
            s.append("delete map ").append(T).append(' ').append(map(was.key())).append('\n');
        }
    }

    /**
     * Whether a transaction from {@code from} to {@code to} concerns persistence: a persistent
     * service on either side, or one read back drifted (a record rule may be stray). Otherwise it
     * writes nothing of it, and the record chain stays absent.
     */
    static boolean involved(Map<ServiceKey, DesiredService> from, Map<ServiceKey, DesiredService> to) {
        return to.values().stream().anyMatch(d -> persistent(d.spec())) || from.values().stream()
                .anyMatch(d -> persistent(d.spec()) || !NftLayout.implemented(d.spec().scheduler()));
    }

    private static void declare(StringBuilder s, ServiceKey key) {
        String f = NftLayout.family(key.ipv6());
        s.append("add map ").append(T).append(' ').append(map(key)).append(" { typeof ").append(f).append(" saddr : ")
                .append(f).append(" daddr");
        if (!key.ipv6()) {
            s.append(" . ").append(NftLayout.protocolName(key)).append(" dport");
        }
        s.append("; flags dynamic,timeout; size ").append(SIZE).append("; }\n");
    }

    /**
     * The one port an IPv6 service's live real servers (weight above 0) share, which its lookup
     * rule DNATs to (its map records addresses only). Draining real servers (weight 0) take no new
     * connection, so they may still be on the port the pool left: a reload that moves the whole
     * pool to another port rewrites the lookup rule to the new port in the transaction that adds
     * the new real servers, while the old ones keep their established flows in conntrack. The
     * lowest port where several are (refused, but the writer and the reader must agree whatever
     * the order), the lowest of the draining ones while none is live, the service's own port while
     * it has no real server.
     */
    static int port(DesiredService svc) {
        return live(svc).stream().mapToInt(BackendKey::port).min().orElse(svc.dests().keySet().stream()
                .mapToInt(BackendKey::port).min().orElse(svc.spec().key().port()));
    }

    /**
     * Why persistence cannot be kept for {@code svc} as it is, or null: an IPv6 service's live real
     * servers (weight above 0; a draining one may be on the port the pool left) must share one port
     * (nft 1.0.6 cannot record an IPv6 address . port).
     */
    static String refusal(DesiredService svc) {
        return refusal(svc.spec(), live(svc));
    }

    /** Why persistence cannot be kept for {@code spec} with these live real servers, or null. */
    static String refusal(ServiceSpec spec, Collection<BackendKey> live) {
        if (!persistent(spec) || !spec.key().ipv6() || live.stream().mapToInt(BackendKey::port).distinct().count() <= 1) {
            return null;
        }
        return "nftables keeps IPv6 persistence only for real servers on one port (nft 1.0.6 cannot record an IPv6"
                + " address . port)";
    }

    /**
     * Empties the record chain; first in a transaction, so the maps its rules use may be deleted
     * after it. {@link #records} fills it at the end.
     */
    static void open(StringBuilder s, Map<ServiceKey, DesiredService> from, Map<ServiceKey, DesiredService> to) {
        if (!involved(from, to)) {
            return;
        }
        s.append("add chain ").append(T).append(' ').append(CHAIN)
                .append(" { type filter hook prerouting priority dstnat + 10; policy accept; }\n");
        s.append("flush chain ").append(T).append(' ').append(CHAIN).append('\n');
    }

    /** One record rule per persistent service of {@code to}; the chain goes when there is none. */
    static void records(StringBuilder s, Map<ServiceKey, DesiredService> from, Map<ServiceKey, DesiredService> to) {
        if (!involved(from, to)) {
            return;
        }
        List<ServiceSpec> specs = to.values().stream().map(DesiredService::spec).filter(NftPersistence::persistent).toList();
        if (specs.isEmpty()) {
            s.append("delete chain ").append(T).append(' ').append(CHAIN).append('\n');
            return;
        }
        for (ServiceSpec spec : specs) {
            declare(s, spec.key()); // a no-op unless drift took it
            s.append("add rule ").append(T).append(' ').append(CHAIN).append(" ct state new ct status dnat meta l4proto ")
                    .append(NftLayout.protocolName(spec.key())).append(" ct original ").append(NftLayout.family(spec.key().ipv6()))
                    .append(" daddr ")
                    .append(NetUtil.toAddressString(spec.key().address())).append(" ct original proto-dst ")
                    .append(spec.key().port()).append(' ').append(update(spec)).append('\n');
        }
    }

    /** One element of a persistence map: the client key as nft lists it, and its backend. */
    record Entry(String client, BackendKey backend) {
    }

    /**
     * The elements of a listed map ({@code nft -j list map}'s map object); an IPv6 map's values are
     * addresses alone, whose backend is on {@code port}.
     */
    static List<Entry> entries(JsonNode map, int port) {
        List<Entry> out = new ArrayList<>();
        if (map == null) {
            return out;
        }
        for (JsonNode e : map.path("elem")) {
            JsonNode k = e.get(0);
            String client = k.has("elem") ? k.get("elem").path("val").asText() : k.asText();
            JsonNode v = e.get(1);
            out.add(v.has("concat") ? new Entry(client, new BackendKey(address(v.get("concat").get(0).asText()),
                    v.get("concat").get(1).asInt())) : new Entry(client, new BackendKey(address(v.asText()), port)));
        }
        return out;
    }

    /** The elements of the map {@code name} in what {@code nft -j list} printed. */
    static List<Entry> listed(String json, String name, int port) {
        try {
            for (JsonNode o : JSON.readTree(json).path("nftables")) {
                if (name.equals(o.path("map").path("name").asText())) {
                    return entries(o.get("map"), port);
                }
            }
            return List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("unreadable nft JSON", e);
        }
    }

    /** The backends that take new connections: only these may stay in the map. */
    static Set<BackendKey> live(DesiredService svc) {
        return svc.dests().values().stream().filter(b -> b.weight() > 0).map(BackendSpec::key).collect(Collectors.toSet());
    }

    /**
     * Deletes the elements of {@code entries} whose backend no longer takes connections in {@code
     * svc}, each added first (an add of an element that is there is a no-op) so that one expired
     * since the listing does not fail the transaction.
     */
    static void forget(StringBuilder s, DesiredService svc, Collection<Entry> entries) {
        Set<BackendKey> live = live(svc);
        List<Entry> stale = entries.stream().filter(e -> !live.contains(e.backend())).toList();
        if (stale.isEmpty()) {
            return;
        }
        String m = map(svc.spec().key());
        s.append("add element ").append(T).append(' ').append(m).append(stale.stream()
                .map(e -> e.client() + " : " + NetUtil.toAddressString(e.backend().address())
                        + (svc.spec().key().ipv6() ? "" : " . " + e.backend().port()))
                .collect(Collectors.joining(", ", " { ", " }\n")));
        s.append("delete element ").append(T).append(' ').append(m)
                .append(stale.stream().map(Entry::client).collect(Collectors.joining(", ", " { ", " }\n")));
    }

    /**
     * The script that deletes the elements pointing to a backend that left the live set of a
     * changed persistent service, listed from the kernel (the traffic writes them); appended to the
     * transaction that takes the backend out of the slot map, so no new connection follows them.
     */
    static String forget(NftContext nft, Map<ServiceKey, DesiredService> from, Map<ServiceKey, DesiredService> to,
            Collection<ServiceKey> changed) {
        StringBuilder s = new StringBuilder();
        for (ServiceKey key : changed) {
            DesiredService want = to.get(key);
            DesiredService was = from.get(key);
            if (want == null || was == null || !persistent(want.spec()) || !persistent(was.spec())
                    || was.spec().netmask() != want.spec().netmask()) {
                continue; // no map, a new one, or one this transaction empties
            }
            if (live(want).containsAll(live(was)) && NftLayout.implemented(was.spec().scheduler())) {
                continue; // nobody left, and the map held nothing stale when read
            }
            try {
                forget(s, want, listed(nft.json("list map " + T + " " + map(key)), map(key), port(want)));
            } catch (NftException gone) {
                // No map to clean: the transaction declares it.
            }
        }
        return s.toString();
    }

    /** The scheduling rule among a service chain's rules (its last), or null when they are not one or two. */
    static JsonNode serviceRule(List<JsonNode> rules) {
        return rules.size() == 1 || rules.size() == 2 ? rules.get(rules.size() - 1) : null;
    }

    /**
     * The rule whose counter counts the service's connections: the first. With persistence that is
     * the lookup rule, whose counter comes before its lookup, so it counts every new connection,
     * recorded or not (the scheduling rule counts only those not recorded).
     */
    static JsonNode countingRule(List<JsonNode> rules) {
        return rules.get(0);
    }

    /**
     * What differs from what this class writes for {@code svc}, or null: the lookup rule, the
     * record rule, the map, and elements pointing to a backend that takes no new connections. The
     * map's other elements are the traffic's, not drift.
     */
    static String drift(DesiredService svc, List<JsonNode> rules, JsonNode map, List<JsonNode> records) {
        ServiceSpec spec = svc.spec();
        if (!persistent(spec)) {
            if (rules.size() != 1) {
                return rules.size() + " rules in the service chain";
            }
            return map == null ? null : "persistence map left";
        }
        if (rules.size() != 2) {
            return rules.size() + " rules in the service chain instead of 2";
        }
        String lookup = rules.get(0).path("expr").toString();
        String f = NftLayout.family(spec.key().ipv6());
        String saddr = "{\"payload\":{\"protocol\":\"" + f + "\",\"field\":\"saddr\"}}";
        String client = clientKey(spec);
        String key = client.contains("&") ? "{\"&\":[" + saddr + ",\"" + client.substring(client.indexOf('&') + 2) + "\"]}" : saddr;
        String port = spec.key().ipv6() ? ",\"port\":" + port(svc) : "";
        if (!lookup.contains("{\"dnat\":{\"family\":\"" + f + "\",\"addr\":{\"map\":{\"key\":" + key + ",\"data\":\"@" + map(spec.key())
                + "\"}}" + port + "}}")) {
            return "persistence lookup rule changed";
        }
        if (map == null) {
            return "persistence map missing";
        }
        String update = "\"" + update(spec) + "\"";
        String vip = "\"" + NetUtil.toAddressString(spec.key().address()) + "\"";
        long mine = records == null ? 0 : records.stream().map(r -> r.path("expr").toString())
                .filter(r -> r.contains(update) && r.contains(vip) && r.contains("\"right\":" + spec.key().port() + "}")).count();
        if (mine != 1) {
            return mine + " persistence record rules instead of 1";
        }
        Set<BackendKey> live = live(svc);
        for (Entry e : entries(map, port(svc))) {
            if (!live.contains(e.backend())) {
                return "persistence entry " + e.client() + " points to " + e.backend() + ", which takes no connections";
            }
        }
        return null;
    }

    /** Whether the record chain holds rules beyond one per persistent service (a hand edit). */
    static boolean strayRecords(List<JsonNode> records, Collection<ServiceSpec> specs) {
        long persistent = specs.stream().filter(NftPersistence::persistent).count();
        return records != null && records.size() != persistent;
    }

    private static InetAddress address(String literal) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException | NullPointerException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }
}
