package io.vipkeeper.appliance.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The kernel state the IPVS fault lab expects, derived from its own {@link IpvsChaosState} alone:
 * element name to value. Elements are {@code svc|ID} and {@code rs|ID|ADDR:PORT} (the lines of
 * {@code ipvsadm -Sn}), {@code nft|FAMILY NAME} (a table in {@link IpvsChaosNft}'s canonical form)
 * and {@code digest} (the status API's configDigest). A configured real server of a checked
 * service is in the table exactly while its backend serves, at its configured weight; the
 * masquerade rule lists every configured NAT real server, up or down, as vipkeeper writes it.
 */
final class IpvsChaosExpected {
    static final String OWN_TABLE = "inet vipkeeper";
    static final String DIGEST = "digest";

    private IpvsChaosExpected() {
    }

    /** Element name of a table. */
    static String tableElement(String table) {
        return "nft|" + table;
    }

    /** Everything expected: owned and foreign IPVS, vipkeeper's and the foreign tables, the digest. */
    static SortedMap<String, String> of(IpvsChaosState s, String digest) {
        SortedMap<String, String> e = new TreeMap<>(s.foreignIpvs());
        IpvsChaosConfig c = s.config();
        for (String name : c.services()) {
            String id = IpvsChaosConfig.serviceId(name);
            IpvsChaosState.addService(e, id, c.scheduler(name));
            c.realServers(name).forEach((octet, weight) -> {
                if (!IpvsChaosConfig.checked(name) || s.backendsUp().contains(octet)) {
                    IpvsChaosState.addRealServer(e, id, IpvsChaosConfig.realServer(name, octet),
                            IpvsChaosConfig.forwarding(name), weight);
                }
            });
        }
        e.put(tableElement(OWN_TABLE), ownTable(c));
        s.foreignNft().forEach((table, rules) -> e.put(tableElement(table), foreignTable(rules)));
        e.put(DIGEST, digest);
        return e;
    }

    /** vipkeeper's table: one masquerade rule for web over all of its configured real servers. */
    static String ownTable(IpvsChaosConfig c) {
        List<String> targets = new ArrayList<>();
        c.realServers(IpvsChaosConfig.WEB).keySet().forEach(o -> targets.add("198.18.1." + o + " . 80"));
        return IpvsChaosNft.table(List.of(IpvsChaosNft.chain("postrouting", "nat", "postrouting", 100, "accept")),
                List.of(IpvsChaosNft.rule("postrouting", IpvsChaosConfig.WEB,
                        IpvsChaosNft.match("ip daddr . tcp dport", "==", targets),
                        IpvsChaosNft.match("ct direction", "==", List.of("original")), "masquerade")));
    }

    static String foreignTable(java.util.Set<Integer> rules) {
        List<String> r = new ArrayList<>();
        rules.forEach(n -> r.add(IpvsChaosNft.rule(IpvsChaosState.FOREIGN_CHAIN, "f" + n,
                IpvsChaosNft.match("ip daddr", "==", List.of("198.18.9." + n)), "accept")));
        return IpvsChaosNft.table(List.of(IpvsChaosNft.chain(IpvsChaosState.FOREIGN_CHAIN, "filter", "output", 0,
                "accept")), r);
    }

    /** Whether an element belongs to vipkeeper (its services and table, the digest) rather than to the lab's foreign state. */
    static boolean owned(String element) {
        if (element.startsWith("svc|") || element.startsWith("rs|")) {
            return IpvsChaosConfig.ownedIds().contains(element.split("\\|")[1]);
        }
        return element.equals(tableElement(OWN_TABLE)) || element.equals(DIGEST);
    }

    /** The elements of {@code ipvsadm -Sn} output. */
    static SortedMap<String, String> ipvsElements(String saved) {
        SortedMap<String, String> e = new TreeMap<>();
        for (String line : saved.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] t = l.split("\\s+");
            String id = t[1] + " " + t[2];
            if (t[0].equals("-A")) {
                e.put(IpvsChaosState.serviceElement(id), l);
            } else {
                int r = List.of(t).indexOf("-r");
                e.put(IpvsChaosState.realServerElement(id, t[r + 1]), l);
            }
        }
        return e;
    }

    /** What differs: element, expected, actual (null where absent). */
    record Difference(String element, String expected, String actual) {
        @Override
        public String toString() {
            return element + ": expected " + (expected == null ? "absent" : expected) + ", kernel has "
                    + (actual == null ? "nothing" : actual);
        }
    }

    /** The differences between {@code expected} and {@code actual} over the elements {@code judged} says to look at. */
    static List<Difference> differences(Map<String, String> expected, Map<String, String> actual,
            java.util.function.Predicate<String> judged) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<Difference> d = new ArrayList<>();
        for (String k : keys) {
            if (judged.test(k) && !java.util.Objects.equals(expected.get(k), actual.get(k))) {
                d.add(new Difference(k, expected.get(k), actual.get(k)));
            }
        }
        return d;
    }
}
