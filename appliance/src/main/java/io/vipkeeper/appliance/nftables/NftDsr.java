package io.vipkeeper.appliance.nftables;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct routing (dr) for the nftables engine, in a netdev table of its own, {@code netdev
 * vipkeeper_dsr}: one ingress chain per interface that dr backends are reached on, one rule per dr
 * service there that matches the VIP (only while this host holds it), protocol and port, sets the
 * frame's source MAC to the interface's and its destination MAC to the backend's picked by a hash
 * of the client, and sends it out again ({@code fwd to}). The backends answer the client
 * directly; as with IPVS the frame keeps the service's port, so a real server's own port is not used.
 * IPv4 and IPv6 alike: an IPv6 service's rule matches {@code ip6 daddr} and hashes {@code ip6 saddr},
 * its backends' MACs come from the IPv6 neighbour table ({@link Neighbours}). Netdev ingress has no conntrack, so only the hash schedulers (sh, mh) keep a
 * connection on one backend; the service's chain in {@code inet vipkeeper_lb} stays (it carries
 * the spec and backends the engine reads back) without a dnat.
 *
 * <p>The table is small and derived (from the dr services and the MACs of the moment), so it is
 * written whole in one transaction whenever it would differ from what was written, and compared
 * whole with what was read back right after writing it: a hand edit, a MAC that changed or one
 * that became known reads as drift of every dr service, which the reconciler repairs.
 *
 * <p>An engine that did not write the table itself (a restarted daemon, {@code vipkeeper nftables
 * list}) has nothing to compare with, so the table carries a stamp: an empty set whose comment is a
 * digest of the script that wrote it. When the stamp says the script this engine would write now,
 * the table is adopted as written; only a table edited by hand while no engine watched, stamp
 * left alone, passes unnoticed.
 */
final class NftDsr {
    private static final Logger log = LoggerFactory.getLogger(NftDsr.class);
    /** The table, as nft names it. */
    static final String TABLE = "netdev vipkeeper_dsr";
    /** Marks a dr service's spec comment in the inet table. */
    static final String MARK = " fwd=dr";
    /** The set that carries the stamp (see the class comment). */
    static final String STAMP_SET = "written";

    private final NftContext nft;
    private final Supplier<Function<BackendKey, DsrHop>> hops;
    private final Supplier<NftStateless.Links> links;
    /** The script last run, null before the first. */
    private String written;
    /** The table as read back right after {@link #written} ran. */
    private String writtenJson;

    /** Programs through {@code nft}; {@code hops} looks each backend's hop up, once per run. */
    NftDsr(NftContext nft, Supplier<Function<BackendKey, DsrHop>> hops, Supplier<NftStateless.Links> links) {
        this.nft = nft;
        this.hops = hops;
        this.links = links;
    }

    /** Whether {@code svc} is forwarded in this netdev table (dr or stateless-nat). */
    static boolean netdev(DesiredService svc) {
        return directRouting(svc) || NftStateless.stateless(svc);
    }

    /** The mark of {@code svc}'s spec comment in the inet table: dr's, stateless-nat's or none. */
    static String mark(DesiredService svc) {
        return directRouting(svc) ? MARK : NftStateless.stateless(svc) ? NftStateless.MARK : "";
    }

    /** Whether {@code svc} forwards by dr (all of a dr service's backends do; see {@link #refusal}). */
    static boolean directRouting(DesiredService svc) {
        return svc.dests().values().stream().anyMatch(b -> b.forwarding() == Forwarding.DR);
    }

    /** Why nftables cannot forward {@code svc} by dr, or null (also when it is not dr). */
    static String refusal(DesiredService svc) {
        if (!directRouting(svc)) {
            return null;
        }
        if (svc.dests().values().stream().anyMatch(b -> b.forwarding() != Forwarding.DR)) {
            return "nftables forwards all real servers of a service alike (dr or nat)";
        }
        String s = svc.spec().scheduler();
        if (!Scheduler.SH.configName().equals(s) && !Scheduler.MH.configName().equals(s)) {
            return "nftables forwards dr in netdev ingress, which has no connection tracking: only a hash of the client"
                    + " (sh, mh) keeps a connection on one real server";
        }
        return null;
    }

    /** Whether any service of {@code table} forwards by dr or stateless-nat. */
    static boolean any(Map<ServiceKey, DesiredService> table) {
        return table.values().stream().anyMatch(NftDsr::netdev);
    }

    /** Rewrites the table from {@code table}'s dr services, when that would change it or it drifted. */
    void program(Map<ServiceKey, DesiredService> table) {
        try {
            write(table);
        } catch (RuntimeException e) {
            // The next run reads the table as out of date and tries again.
            written = null;
            log.warn("dr table not written: {}", e.getMessage());
        }
    }

    private void write(Map<ServiceKey, DesiredService> table) {
        String script = script(table);
        adopt(script);
        if (script.equals(written) && (!any(table) || Objects.equals(writtenJson, listing()))) {
            return;
        }
        written = null;
        nft.run(script + (any(table) ? stamp(script) : ""));
        written = script;
        writtenJson = listing();
    }

    /**
     * {@code read} with every dr service marked drifted when the table is not what {@link #program}
     * would write now for {@code table} (a MAC changed, one became known) or not what it read back
     * after writing (a hand edit).
     */
    Map<ServiceKey, ActualService> check(Map<ServiceKey, ActualService> read, Map<ServiceKey, DesiredService> table) {
        return marked(read, table, true);
    }

    /**
     * The same without listing the table: for a run at which the ruleset generation has not moved
     * (so nobody edited it), where only the MACs may have changed. Listing the table costs about
     * as much as writing it (NftDsr with 40 mh services: 3.5 s).
     */
    Map<ServiceKey, ActualService> recheck(Map<ServiceKey, ActualService> read, Map<ServiceKey, DesiredService> table) {
        return marked(read, table, false);
    }

    private Map<ServiceKey, ActualService> marked(Map<ServiceKey, ActualService> read, Map<ServiceKey, DesiredService> table,
            boolean list) {
        String now = script(table);
        if (list) {
            adopt(now);
        }
        if (now.equals(written) && (!list || !any(table) || Objects.equals(writtenJson, listing()))) {
            return read;
        }
        String why = now.equals(written) ? "netdev table edited" : "netdev table out of date";
        Map<ServiceKey, ActualService> out = new LinkedHashMap<>(read);
        table.forEach((k, v) -> {
            if (netdev(v) && out.containsKey(k)) {
                out.put(k, NftTableReader.drifted(out.get(k), why));
            }
        });
        return out;
    }

    private String script(Map<ServiceKey, DesiredService> table) {
        List<DesiredService> dr = table.values().stream().filter(NftDsr::directRouting).toList();
        List<DesiredService> stateless = table.values().stream().filter(NftStateless::stateless).toList();
        return script(dr, dr.isEmpty() ? b -> null : hops.get(), stateless, stateless.isEmpty() ? null : links.get());
    }

    /**
     * Takes the table as written by {@code script} when nothing was written by this engine yet and
     * the table's stamp says {@code script}.
     */
    private void adopt(String script) {
        if (written != null) {
            return;
        }
        String json = listing();
        if (json != null && json.contains("\"" + digest(script) + "\"")) {
            written = script;
            writtenJson = json;
        }
    }

    /** The line that stamps the table with {@code script}'s digest (run with it, in one transaction). */
    static String stamp(String script) {
        return "add set " + TABLE + " " + STAMP_SET + " { type ipv4_addr; comment \"" + digest(script) + "\"; }\n";
    }

    /** The stamp's comment: a SHA-256 of {@code script}, hex (nft keeps comments up to 128 bytes). */
    static String digest(String script) {
        try {
            return "vipkeeper " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private String listing() {
        try {
            return nft.json("list table " + TABLE);
        } catch (NftException e) {
            return null;
        }
    }

    /**
     * The script that makes the table say {@code services} (dr, IPv4 and IPv6): the table deleted and, when
     * there is any, written again in the same transaction. A backend whose hop is unknown, of
     * weight 0, or on another interface than most of the service's backends gets no slot.
     */
    static String script(Collection<DesiredService> services, Function<BackendKey, DsrHop> hops) {
        return script(services, hops, List.of(), null);
    }

    /**
     * The same with {@code stateless} services ({@link NftStateless}) beside the dr ones, their
     * interfaces from {@code links}.
     */
    static String script(Collection<DesiredService> services, Function<BackendKey, DsrHop> hops,
            Collection<DesiredService> stateless, NftStateless.Links links) {
        StringBuilder s = new StringBuilder();
        s.append("add table ").append(TABLE).append('\n');
        s.append("delete table ").append(TABLE).append('\n');
        if (services.isEmpty() && stateless.isEmpty()) {
            return s.toString();
        }
        s.append("add table ").append(TABLE).append('\n');
        // Chain per device, rules in the order of the services' chains: the same services write the
        // same script whatever order they come in (as configured, or as a fresh engine reads them back).
        Map<String, List<String>> rules = new TreeMap<>();
        List<DesiredService> sorted = services.stream().sorted(Comparator.comparing(svc -> NftLayout.chain(svc.spec().key())))
                .toList();
        for (DesiredService svc : sorted) {
            ServiceKey key = svc.spec().key();
            String map = NftLayout.chain(key) + "_d";
            Map<BackendKey, DsrHop> hop = new LinkedHashMap<>();
            for (BackendSpec b : svc.dests().values()) {
                DsrHop h = b.weight() > 0 ? hops.apply(b.key()) : null;
                if (h != null) {
                    hop.put(b.key(), h);
                }
            }
            // The interface most of its backends are on (the first name on a tie): frames leave by one.
            Map<String, Long> perDevice = hop.values().stream().collect(Collectors.groupingBy(DsrHop::device, TreeMap::new,
                    Collectors.counting()));
            String device = perDevice.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(null);
            hop.values().removeIf(h -> !h.device().equals(device));
            DsrHop first = hop.values().stream().findFirst().orElse(null);
            Map<BackendKey, BackendSpec> live = new LinkedHashMap<>();
            hop.keySet().forEach(b -> live.put(b, svc.dests().get(b)));
            s.append("add map ").append(TABLE).append(' ').append(map).append(" { typeof numgen inc mod 1 : ether daddr; }\n");
            if (first == null) {
                continue; // no backend to send to: the VIP's packets go up the stack (and find no listener)
            }
            DesiredService usable = new DesiredService(svc.spec(), live);
            List<String> elements = new ArrayList<>();
            for (NftLayout.Slot x : NftLayout.slots(usable)) {
                elements.add(x.index() + " : "
                        + hop.get(x.backend()).mac());
            }
            s.append("add element ").append(TABLE).append(' ').append(map).append(" { ").append(String.join(", ", elements))
                    .append(" }\n");
            NftLayout.Selector sel = NftLayout.selector(usable);
            // ip or ip6: the rule matches one family's frames, and hashes the client's address of
            // that family (16 bytes for IPv6) into the same slots and seed as the NAT path.
            String f = NftLayout.family(key.ipv6());
            String hash = "jhash " + f + " saddr" + ("jhash-port".equals(sel.mode()) ? " . th sport" : "") + " mod "
                    + sel.mod() + " seed " + NftLayout.hex(sel.seed());
            rules.computeIfAbsent(first.device(), d -> new ArrayList<>()).add(f + " daddr " + NetUtil.toAddressString(key.address())
                    + " meta l4proto " + NftLayout.protocolName(key) + " th dport " + key.port()
                    // Only while this host holds the VIP, as the NAT path: a backup that sees a flooded frame leaves it.
                    + " fib daddr type local ether saddr set " + first.localMac() + " ether daddr set " + hash + " map @" + map
                    + " fwd to \"" + first.device() + "\" comment \"vipkeeper " + NftLayout.chain(key) + "\"");
        }
        NftStateless.append(stateless.stream().sorted(Comparator.comparing(svc -> NftLayout.chain(svc.spec().key()))).toList(),
                links, s, rules);
        rules.forEach((device, list) -> {
            String chain = chain(device);
            s.append("add chain ").append(TABLE).append(' ').append(chain).append(" { type filter hook ingress device \"")
                    .append(device).append("\" priority 0; policy accept; }\n");
            list.forEach(r -> s.append("add rule ").append(TABLE).append(' ').append(chain).append(' ').append(r).append('\n'));
        });
        return s.toString();
    }

    /** The ingress chain of {@code device} ({@code in_eth0}; characters nft names lack become _). */
    static String chain(String device) {
        return "in_" + device.chars().mapToObj(c -> Character.isLetterOrDigit(c) || c == '_' ? String.valueOf((char) c) : "_")
                .collect(Collectors.joining());
    }
}
