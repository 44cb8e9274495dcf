package io.vipkeeper.appliance.nftables;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads {@code nft -j list table inet vipkeeper_lb} back into the neutral model. A service is an
 * entry of a verdict map; its spec comes from its rule's comment and its backends from its weight
 * map, their counters from the family's counter sets. Whatever else the service needs (its slot
 * map, its selector, the hooked rules of its family; not its backends' counter set elements, which
 * the data path makes, so an absent one counts 0) is
 * compared with what {@link NftScript} would write for that spec and those backends; when they
 * differ the spec is reported with a scheduler marked as drifted, so the reconciler plans an edit
 * of the service and the engine rewrites it (and the hooked rules) whole. Pure: no kernel access.
 */
final class NftTableReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NftTableReader() {
    }

    /** The services in {@code json}, in verdict map order. */
    static Map<ServiceKey, ActualService> read(String json) {
        Map<String, JsonNode> maps = new HashMap<>();
        Map<String, List<JsonNode>> rules = new HashMap<>();
        // Counter set name -> "VIP proto backend port" -> the element's counts.
        Map<String, Map<String, Count>> counters = new HashMap<>();
        // Named counter -> its packets (a service's connections, NftLayout.connections).
        Map<String, Long> named = new HashMap<>();
        // One listed object at a time: a tree of the whole listing (4.4 MB of JSON at 100 services
        // x 100 backends, three counter sets of 10,000 elements) outgrew the daemon's 64 MB heap,
        // and the counter sets, the bulk of it, are kept as two numbers an element.
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            if (!toArray(p, "nftables")) {
                return new LinkedHashMap<>();
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode o = p.readValueAsTree();
                if (o.has("map")) {
                    maps.put(o.get("map").path("name").asText(), o.get("map"));
                } else if (o.has("set")) {
                    Map<String, Count> elements = counters.computeIfAbsent(o.get("set").path("name").asText(), n -> new HashMap<>());
                    for (JsonNode e : o.get("set").path("elem")) {
                        // An element with a counter is {"elem": {"val": ..., "counter": ...}}; without, the value itself.
                        JsonNode c = e.path("elem").path("counter");
                        JsonNode val = e.has("elem") ? e.path("elem").path("val") : e;
                        elements.put(concat(val), new Count(c.path("packets").asLong(), c.path("bytes").asLong()));
                    }
                } else if (o.has("counter")) {
                    named.put(o.get("counter").path("name").asText(), o.get("counter").path("packets").asLong());
                } else if (o.has("rule")) {
                    rules.computeIfAbsent(o.get("rule").path("chain").asText(), c -> new ArrayList<>()).add(o.get("rule"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable nft JSON", e);
        }
        Map<ServiceKey, ActualService> table = new LinkedHashMap<>();
        for (boolean v6 : new boolean[] {false, true}) {
            JsonNode services = maps.get(NftLayout.services(v6));
            if (services == null) {
                continue;
            }
            Map<ServiceKey, ActualService> family = new LinkedHashMap<>();
            String stray = null;
            // Each entry's service (null: not one vipkeeper writes) and the chain it goes to.
            List<Map.Entry<ServiceKey, String>> entries = new ArrayList<>();
            services.path("elem").forEach(e -> entries.add(new AbstractMap.SimpleEntry<>(serviceKey(e, v6), target(e))));
            maps.getOrDefault(NftFwmark.marks(v6), NullNode.getInstance()).path("elem")
                    .forEach(e -> entries.add(new AbstractMap.SimpleEntry<>(serviceKey(e, v6), target(e))));
            entries.addAll(NftPorts.read(maps.get(NftPorts.ports(v6)), v6));
            for (Map.Entry<ServiceKey, String> e : entries) {
                ServiceKey key = e.getKey();
                if (key == null) {
                    // Not one of ours (another protocol, a comment, a hand-made verdict): skipped,
                    // and the family's services rewritten, which rewrites the map without it.
                    stray = "a verdict map entry vipkeeper did not write";
                    continue;
                }
                String chain = e.getValue();
                List<JsonNode> own = rules.getOrDefault(chain, List.of());
                // One rule per service chain (two with persistence): more (a hand edit) read as none, which is drift.
                ActualService svc = service(key, maps, own, rules.get(NftPersistence.CHAIN), counters, named);
                family.put(key, chain.equals(NftLayout.chain(key)) ? svc
                        : drifted(svc, "verdict map entry points to " + (chain.isEmpty() ? "no chain" : chain)));
            }
            String why = stray != null ? stray
                    : hooked(rules, v6) ? null : "hooked rules of " + NftLayout.family(v6) + " changed";
            family.forEach((key, svc) -> table.put(key, why == null ? svc : drifted(svc, why)));
        }
        if (NftPersistence.strayRecords(rules.get(NftPersistence.CHAIN), table.values().stream().map(ActualService::spec).toList())) {
            table.replaceAll((key, svc) -> drifted(svc, "a persistence record rule vipkeeper did not write"));
        }
        return table;
    }

    /** A counter set element's counts. */
    private record Count(long packets, long bytes) {
    }

    /** Moves {@code p} into the top-level array {@code name}; false when the document has none. */
    private static boolean toArray(JsonParser p, String name) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean wanted = name.equals(p.currentName());
            JsonToken value = p.nextToken();
            if (wanted && value == JsonToken.START_ARRAY) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    /** The chain a verdict map element goes to ("" when none). */
    private static String target(JsonNode e) {
        return e.path(1).path("goto").path("target").asText();
    }

    /** The service a verdict map element names, or null when it is not one vipkeeper writes. */
    private static ServiceKey serviceKey(JsonNode e, boolean v6) {
        try {
            if (e.get(0).isNumber() && e.get(1).has("goto") && e.get(0).asLong() > 0) {
                return ServiceKey.ofFwmark(e.get(0).asLong(), v6);
            }
            JsonNode k = e.get(0).path("concat");
            if (k.size() != 3 || !e.get(1).has("goto")) {
                return null;
            }
            return ServiceKey.of(protocol(k.get(1)), address(k.get(0).asText()), k.get(2).asInt());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * Whether prerouting and forward hold exactly the rules the skeleton writes: each family's
     * lookups, and nothing else (a rule added by hand there would steer or drop traffic).
     */
    private static boolean hooked(Map<String, List<JsonNode>> rules, boolean v6) {
        List<JsonNode> pre = rules.getOrDefault("prerouting", List.of());
        List<JsonNode> fwd = rules.getOrDefault("forward", List.of());
        if (pre.size() != 6 || fwd.size() != 2 * NftLayout.Counted.values().length
                || pre.stream().anyMatch(r -> !r.toString().contains("\"local\""))) {
            return false;
        }
        List<String> lookups = new ArrayList<>(List.of(NftLayout.services(v6), NftFwmark.marks(v6), NftPorts.ports(v6),
                NftLayout.balanced(v6)));
        for (NftLayout.Counted c : NftLayout.Counted.values()) {
            lookups.add(NftLayout.counters(v6, c));
        }
        List<JsonNode> hooked = new ArrayList<>(rules.getOrDefault("prerouting", List.of()));
        hooked.addAll(rules.getOrDefault("forward", List.of()));
        return lookups.stream().allMatch(set -> hooked.stream().anyMatch(r -> r.toString().contains("\"@" + set + "\"")));
    }

    static ActualService drifted(ActualService svc, String why) {
        ServiceSpec spec = svc.spec();
        ServiceSpec marked = new ServiceSpec(spec.key(), spec.scheduler() + " (drifted: " + why + ")", spec.flags(),
                spec.timeoutSeconds(), spec.netmask());
        return new ActualService(marked, svc.dests(), svc.stats());
    }

    private static ActualService service(ServiceKey key, Map<String, JsonNode> maps, List<JsonNode> own,
            List<JsonNode> records, Map<String, Map<String, Count>> counters, Map<String, Long> named) {
        JsonNode rule = NftPersistence.serviceRule(own);
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        JsonNode weights = maps.get(NftLayout.weights(key));
        String comment = rule == null ? "" : rule.path("comment").asText("");
        Forwarding forwarding = comment.endsWith(NftDsr.MARK) ? Forwarding.DR
                : comment.endsWith(NftStateless.MARK) ? Forwarding.STATELESS_NAT : Forwarding.NAT;
        Map<BackendKey, int[]> limits = thresholds(maps.get(NftLayout.thresholds(key)));
        if (weights != null) {
            for (JsonNode e : weights.path("elem")) {
                JsonNode c = e.get(0).path("concat");
                BackendKey b = new BackendKey(address(c.get(0).asText()), c.get(1).asInt());
                int[] limit = limits.getOrDefault(b, new int[2]);
                dests.put(b, new BackendSpec(b, forwarding, e.get(1).asInt(), limit[0], limit[1]));
            }
        }
        java.util.Set<BackendKey> overloaded = new java.util.HashSet<>();
        ServiceSpec written = rule == null ? null : NftLayout.spec(key, rule.path("comment").asText(null)).orElse(null);
        String drift;
        ServiceSpec spec;
        if (written == null) {
            spec = new ServiceSpec(key, "", 0, 0, 0);
            drift = "no readable service rule";
        } else {
            spec = written;
            DesiredService read = new DesiredService(written, dests);
            drift = drift(read, rule, maps.get(NftFwmark.slotMap(read)), overloaded);
            if (drift == null) {
                drift = NftPersistence.drift(read, own, maps.get(NftPersistence.map(key)), records);
            }
            if (drift == null && !key.isFwmark() && !counters.getOrDefault(NftLayout.balanced(key.ipv6()), Map.of())
                    .containsKey(NetUtil.toAddressString(key.address()) + " " + NftLayout.protocolName(key))) {
                drift = "VIP and protocol missing from " + NftLayout.balanced(key.ipv6()) + " (backends not counted)";
            }
        }
        Map<BackendKey, ActualBackend> actual = new LinkedHashMap<>();
        long[] sums = new long[4];
        for (BackendSpec d : dests.values()) {
            if (key.isFwmark() || d.key().port() == 0) {
                actual.put(d.key(), new ActualBackend(d, 0, 0, 0, TrafficCounters.ZERO)); // no counter elements (NftScript)
                continue;
            }
            String element = NetUtil.toAddressString(key.address()) + " " + NftLayout.protocolName(key) + " "
                    + NetUtil.toAddressString(d.key().address()) + " " + d.key().port();
            Count[] c = new Count[NftLayout.Counted.values().length];
            for (NftLayout.Counted what : NftLayout.Counted.values()) {
                // Absent: no packet of that kind yet (the data path makes the element), so 0, not drift.
                c[what.ordinal()] = counters.getOrDefault(NftLayout.counters(key.ipv6(), what), Map.of()).get(element);
            }
            TrafficCounters stats = new TrafficCounters(packets(c[0]), packets(c[1]), packets(c[2]), bytes(c[1]), bytes(c[2]));
            actual.put(d.key(), new ActualBackend(d, 0, 0, 0, stats, d.upperThreshold() > 0 ? overloaded.contains(d.key()) : null));
            sums[0] += stats.inPackets();
            sums[1] += stats.outPackets();
            sums[2] += stats.inBytes();
            sums[3] += stats.outBytes();
        }
        // The nat chain sees only a connection's first packet: its counter counts connections.
        long connections = rule == null ? 0 : counterPackets(NftPersistence.countingRule(own), named);
        ActualService svc = new ActualService(spec, actual, new TrafficCounters(connections, sums[0], sums[1], sums[2], sums[3]));
        return drift == null ? svc : drifted(svc, drift);
    }

    /** Each backend's upper and lower threshold as the service's threshold map holds them (none: no map). */
    private static Map<BackendKey, int[]> thresholds(JsonNode map) {
        Map<BackendKey, int[]> out = new HashMap<>();
        if (map == null) {
            return out;
        }
        for (JsonNode e : map.path("elem")) {
            JsonNode k = e.get(0).path("concat");
            JsonNode v = e.get(1).path("concat");
            if (k.size() == 2 && v.size() == 2) {
                out.put(new BackendKey(address(k.get(0).asText()), k.get(1).asInt()), new int[] {v.get(0).asInt(), v.get(1).asInt()});
            }
        }
        return out;
    }

    /**
     * What differs from what {@link NftScript} writes for {@code svc}, or null. The backends with
     * an upper threshold and a weight above 0 that have no slot are overloaded ({@link
     * NftOverload}), not drift: they go into {@code overloaded}, and the slots are compared with
     * what the script writes with them out.
     */
    private static String drift(DesiredService svc, JsonNode rule, JsonNode slotMap, java.util.Set<BackendKey> overloaded) {
        if (slotMap == null) {
            return "slot map missing";
        }
        boolean portless = NftFwmark.portless(svc);
        java.util.Set<String> slotted = new java.util.HashSet<>();
        for (JsonNode e : slotMap.path("elem")) {
            JsonNode value = e.get(1);
            slotted.add(value.isTextual() ? NetUtil.toAddressString(address(value.asText())) : concat(value));
        }
        svc.dests().values().stream().filter(b -> b.upperThreshold() > 0 && b.weight() > 0)
                .filter(b -> !slotted.contains(NftFwmark.target(b.key(), portless).replace(" . ", " "))).forEach(b -> overloaded.add(b.key()));
        List<NftLayout.Slot> slots = NftLayout.slots(svc, overloaded);
        NftLayout.Selector want;
        try {
            want = NftLayout.selector(svc, slots);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        // Slot "from-to" : backend, ordered by slot (a plain map lists in hash order).
        TreeMap<Long, String> haveSlots = new TreeMap<>();
        for (JsonNode e : slotMap.path("elem")) {
            JsonNode k = e.get(0);
            long from = k.has("range") ? k.get("range").get(0).asLong() : k.asLong();
            long to = k.has("range") ? k.get("range").get(1).asLong() : from;
            JsonNode value = e.get(1);
            haveSlots.put(from, from + "-" + to + " : " + (value.isTextual() ? NetUtil.toAddressString(address(value.asText()))
                    : concat(value)));
        }
        List<String> have = List.copyOf(haveSlots.values());
        List<String> wantSlots = slots.stream().map(x -> x.index() + "-" + x.index() + " : "
                + NftFwmark.target(x.backend(), portless).replace(" . ", " ")).toList();
        if (have.size() != wantSlots.size()) {
            return "slots: " + have.size() + " entries instead of " + wantSlots.size();
        }
        for (int i = 0; i < have.size(); i++) {
            if (!have.get(i).equals(wantSlots.get(i))) {
                return "slot " + have.get(i) + " instead of " + wantSlots.get(i);
            }
        }
        NftLayout.Selector selector = selector(rule);
        if (want.mod() == 0 || NftDsr.netdev(svc) ? selector != null : !want.equals(selector)) {
            return "selector " + selector + " instead of " + want;
        }
        return null;
    }

    /** The selector of the rule's dnat, or null when it has none. */
    private static NftLayout.Selector selector(JsonNode rule) {
        for (JsonNode x : rule.path("expr")) {
            JsonNode key = x.path("dnat").path("addr").path("map").path("key");
            if (key.has("numgen")) {
                return new NftLayout.Selector(key.get("numgen").path("mode").asText(), key.get("numgen").path("mod").asLong(), 0);
            } else if (key.has("symhash")) {
                return new NftLayout.Selector("symhash", key.get("symhash").path("mod").asLong(), 0);
            } else if (key.has("jhash")) {
                // A concatenation is the source address . source port (sh-port, mh-port).
                String mode = key.get("jhash").path("expr").has("concat") ? "jhash-port" : "jhash";
                return new NftLayout.Selector(mode, key.get("jhash").path("mod").asLong(),
                        key.get("jhash").path("seed").asLong());
            } else if (x.has("dnat")) {
                return new NftLayout.Selector("?", -1, -1);
            }
        }
        return null;
    }

    private static long packets(Count counter) {
        return counter == null ? 0 : counter.packets();
    }

    private static long bytes(Count counter) {
        return counter == null ? 0 : counter.bytes();
    }

    /** The packets the rule's counter counted: its named counter's, or its own (a table an earlier version wrote). */
    private static long counterPackets(JsonNode rule, Map<String, Long> named) {
        for (JsonNode x : rule.path("expr")) {
            if (x.has("counter")) {
                JsonNode c = x.get("counter");
                return c.isTextual() ? named.getOrDefault(c.asText(), 0L) : c.path("packets").asLong();
            }
        }
        return 0;
    }

    /** An element's concatenation as space-separated values. */
    private static String concat(JsonNode element) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : element.path("concat")) {
            parts.add(p.isTextual() && (NetUtil.isValidIpV4Address(p.asText()) || NetUtil.isValidIpV6Address(p.asText()))
                    ? NetUtil.toAddressString(address(p.asText())) : p.asText());
        }
        return String.join(" ", parts);
    }

    private static TransportProtocol protocol(JsonNode n) {
        for (TransportProtocol p : TransportProtocol.values()) {
            if (p.configName().equals(n.asText()) || n.isInt() && p.number() == n.asInt()) {
                return p;
            }
        }
        throw new IllegalArgumentException("protocol " + n);
    }

    private static InetAddress address(String literal) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        Objects.requireNonNull(bytes, () -> "not an address: " + literal);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
