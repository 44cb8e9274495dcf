package io.vipkeeper.appliance.it;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the IPVS fault lab controls, as it stands after an operation: the config in force,
 * which web backends serve HTTP, and the foreign IPVS services and nftables tables that the lab
 * made by hand and vipkeeper must never touch. Immutable; the expected kernel state is a function
 * of it ({@link IpvsChaosExpected}).
 *
 * @param config the last valid config file the daemon was given
 * @param backendsUp last octets of the web backends whose HTTP server runs
 * @param foreignIpvs foreign services and their real servers as {@code ipvsadm -Sn} lines, by element
 * @param foreignNft foreign tables ("FAMILY NAME") and the numbers of their rules
 */
record IpvsChaosState(IpvsChaosConfig config, SortedSet<Integer> backendsUp, SortedMap<String, String> foreignIpvs,
        SortedMap<String, SortedSet<Integer>> foreignNft) {
    /** Foreign tables: one with vipkeeper's name in another family, one of another name. */
    static final List<String> FOREIGN_TABLES = List.of("ip vipkeeper", "inet lab");
    /** The chain of every foreign table. */
    static final String FOREIGN_CHAIN = "out";

    IpvsChaosState {
        backendsUp = Collections.unmodifiableSortedSet(new TreeSet<>(backendsUp));
        foreignIpvs = Collections.unmodifiableSortedMap(new TreeMap<>(foreignIpvs));
        SortedMap<String, SortedSet<Integer>> nft = new TreeMap<>();
        foreignNft.forEach((k, v) -> nft.put(k, Collections.unmodifiableSortedSet(new TreeSet<>(v))));
        foreignNft = Collections.unmodifiableSortedMap(nft);
    }

    /** Every backend up; two foreign services (TCP with a real server, fwmark with one) and a UDP one without; two rules per foreign table. */
    static IpvsChaosState initial() {
        SortedMap<String, String> ipvs = new TreeMap<>();
        addService(ipvs, "-t " + IpvsChaosConfig.VIP + ":9000", "rr");
        addRealServer(ipvs, "-t " + IpvsChaosConfig.VIP + ":9000", "198.18.1.40:9000", "-m", 1);
        addService(ipvs, "-u " + IpvsChaosConfig.VIP + ":53", "rr");
        addService(ipvs, "-f 99", "wlc");
        addRealServer(ipvs, "-f 99", "198.18.1.41:0", "-g", 2);
        SortedMap<String, SortedSet<Integer>> nft = new TreeMap<>();
        for (String t : FOREIGN_TABLES) {
            nft.put(t, new TreeSet<>(Set.of(1, 2)));
        }
        return new IpvsChaosState(IpvsChaosConfig.initial(), new TreeSet<>(IpvsChaosConfig.WEB_SERVERS), ipvs, nft);
    }

    /** Element name of a service. */
    static String serviceElement(String serviceId) {
        return "svc|" + serviceId;
    }

    /** Element name of a real server of a service. */
    static String realServerElement(String serviceId, String realServer) {
        return "rs|" + serviceId + "|" + realServer;
    }

    static void addService(Map<String, String> lines, String id, String scheduler) {
        lines.put(serviceElement(id), "-A " + id + " -s " + scheduler);
    }

    static void addRealServer(Map<String, String> lines, String id, String rs, String forwarding, int weight) {
        lines.put(realServerElement(id, rs), "-a " + id + " -r " + rs + " " + forwarding + " -w " + weight);
    }

    IpvsChaosState withConfig(IpvsChaosConfig c) {
        return new IpvsChaosState(c, backendsUp, foreignIpvs, foreignNft);
    }

    IpvsChaosState withBackend(int octet, boolean up) {
        SortedSet<Integer> b = new TreeSet<>(backendsUp);
        if (up) {
            b.add(octet);
        } else {
            b.remove(octet);
        }
        return new IpvsChaosState(config, b, foreignIpvs, foreignNft);
    }

    IpvsChaosState withForeignIpvs(SortedMap<String, String> lines) {
        return new IpvsChaosState(config, backendsUp, lines, foreignNft);
    }

    IpvsChaosState withForeignRules(String table, SortedSet<Integer> rules) {
        SortedMap<String, SortedSet<Integer>> nft = new TreeMap<>(foreignNft);
        nft.put(table, rules);
        return new IpvsChaosState(config, backendsUp, foreignIpvs, nft);
    }

    /** The foreign rule {@code n}: what nft is told to add. */
    static String foreignRule(int n) {
        return "ip daddr 198.18.9." + n + " accept comment \"f" + n + "\"";
    }

    /** A foreign table as an {@code nft -f} script that creates it (after deleting any old one). */
    static String foreignTableScript(String table, SortedSet<Integer> rules) {
        StringBuilder sb = new StringBuilder("table " + table + " {}\ndelete table " + table + "\ntable " + table
                + " {\n  chain " + FOREIGN_CHAIN + " {\n    type filter hook output priority 0; policy accept;\n");
        rules.forEach(n -> sb.append("    ").append(foreignRule(n)).append('\n'));
        return sb.append("  }\n}\n").toString();
    }
}
