package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The engine's table layout as names and values: the table, the per-service chain and maps, the
 * spec comment, and the scheduling slots and selector each service gets. Both the script writer
 * and the table reader use it, so what one writes the other expects.
 */
final class NftLayout {
    /** The engine's own table; it never touches another one. */
    static final String TABLE = "vipkeeper_lb";
    /** The schedulers the engine writes. */
    static final Set<Scheduler> SCHEDULERS = Collections.unmodifiableSet(EnumSet.of(Scheduler.RR, Scheduler.WRR, Scheduler.SH,
            Scheduler.MH, Scheduler.SYMHASH));
    /** Marks the spec comment on a service rule. */
    private static final String COMMENT_PREFIX = "vipkeeper ";
    /** Orders backends by address bytes then port, so every director fills the slots alike. */
    static final Comparator<BackendKey> BACKEND_ORDER = BackendKey.CANONICAL_ORDER;

    private NftLayout() {
    }

    /**
     * The service's named counter of connections, {@code <chain>_c}: an object of the table, so a
     * rewrite of the service's rules (flush and add) keeps its count, as an anonymous counter in
     * the rule would not (the service's connections in status and /metrics went back to 0 with
     * every weight change, and a Prometheus counter must never go backwards).
     */
    static String connections(ServiceKey key) {
        return chain(key) + "_c";
    }

    /** The statement that counts a connection in the service's named counter. */
    static String countConnection(ServiceKey key) {
        return " counter name \"" + connections(key) + "\"";
    }

    /** The service's chain: {@code svc_tcp_c612e664_80} (protocol, address in hex, port). */
    static String chain(ServiceKey key) {
        if (key.isFwmark()) {
            return NftFwmark.chain(key);
        } else if (key.hasPorts()) {
            return NftPorts.chain(key);
        }
        return "svc_" + protocolName(key) + "_" + HexFormat.of().formatHex(key.address().getAddress()) + "_" + key.port();
    }

    /** Its weight map (backend address . port : weight), what {@code table()} reports as backends. */
    static String weights(ServiceKey key) {
        return chain(key) + "_w";
    }

    /**
     * Its threshold map (backend address . port : upper . lower), holding only the backends with
     * connection thresholds: declared while the service has one, so a table read back says them.
     */
    static String thresholds(ServiceKey key) {
        return chain(key) + "_t";
    }

    /**
     * The interval slot map rr, wrr and sh used before every scheduler moved to {@link #slotMap}: a
     * table written by an earlier version has it, so a rewrite declares it (as it was) and deletes it.
     * nft 1.0.6 loads every interval map's elements before any change to the table, so with one
     * such map per service one weight change at 100 services cost about four times what it costs
     * with plain maps (measured with {@code nft -f}: 40-50 ms against 10-20 ms).
     */
    static String legacySlots(ServiceKey key) {
        return chain(key) + "_s";
    }

    /**
     * Its scheduling map, slot : backend address . port, one element per slot, a plain map changed by
     * difference: for mh the {@link MaglevTable}, so a backend that leaves moves about its own share
     * of the clients (nft 1.0.6 deletes elements of an interval map slowly: 800 of 8191 took 5.6 s
     * against 25 ms in a plain map); for rr, wrr and sh the {@link #slots} in backend order.
     */
    static String slotMap(ServiceKey key) {
        return chain(key) + "_m";
    }

    static boolean maglev(ServiceSpec spec) {
        return Scheduler.MH.configName().equals(spec.scheduler());
    }

    /** The verdict map of the service's family. */
    static String services(boolean ipv6) {
        return ipv6 ? "services6" : "services4";
    }

    /**
     * What a per-backend counter set counts: a connection's first packet ({@code new}), its packets
     * towards the backend ({@code in}) or back from it ({@code out}).
     */
    enum Counted {
        NEW("new", "ct state new", "daddr", "dport"),
        IN("in", "ct direction original", "daddr", "dport"),
        OUT("out", "ct direction reply", "saddr", "sport");

        final String name;
        /** The match that picks the packets. */
        final String match;
        /** Where the backend's address and port are in those packets (after DNAT, before un-DNAT). */
        final String address;
        final String port;

        Counted(String name, String match, String address, String port) {
            this.name = name;
            this.match = match;
            this.address = address;
            this.port = port;
        }
    }

    /**
     * The family's counter set of {@code what}: VIP . protocol . backend address . port, a dynamic
     * set whose elements carry a counter and are made by the forward chain's {@code update} with a
     * backend's first packet of that kind (an absent element counts 0); the engine deletes a
     * backend's elements with the backend.
     */
    static String counters(boolean ipv6, Counted what) {
        return "count_" + what.name + (ipv6 ? "6" : "4");
    }

    /**
     * The counter set of {@code what} that versions before session 29 wrote, every element up front
     * (30,000 at 100 services x 100 backends, 0.25 s of nft's 0.45 s from empty): a table such a
     * version left is migrated by deleting it (its counts start again from 0).
     */
    static String legacyCounters(boolean ipv6, Counted what) {
        return "backend_" + what.name + (ipv6 ? "6" : "4");
    }

    /**
     * The family's set of VIP . protocol of the services whose backends are counted: only
     * connections DNATed to one of those make counter elements, so another table's DNAT or a
     * routed flow cannot fill the counter sets.
     */
    static String balanced(boolean ipv6) {
        return ipv6 ? "balanced6" : "balanced4";
    }

    /** The most elements a counter set takes (an rhash set: memory follows the elements made). */
    static final int COUNTER_SET_SIZE = 1 << 20;

    static String family(boolean ipv6) {
        return ipv6 ? "ip6" : "ip";
    }

    static String protocolName(ServiceKey key) {
        return TransportProtocol.ofNumber(key.protocol()).map(TransportProtocol::configName)
                .orElseThrow(() -> new IllegalArgumentException("protocol " + key.protocol()));
    }

    /** The comment that carries the settable spec on the service's rule. */
    static String comment(ServiceSpec spec) {
        return COMMENT_PREFIX + "sched=" + spec.scheduler() + " flags=" + spec.flags() + " timeout="
                + spec.timeoutSeconds() + " netmask=" + spec.netmask();
    }

    /** The spec {@link #comment} wrote, or empty when the comment is not one of ours. */
    static Optional<ServiceSpec> spec(ServiceKey key, String comment) {
        if (comment == null || !comment.startsWith(COMMENT_PREFIX)) {
            return Optional.empty();
        }
        String scheduler = null;
        Integer flags = null;
        Integer timeout = null;
        Long netmask = null;
        try {
            for (String field : comment.substring(COMMENT_PREFIX.length()).split(" ")) {
                int eq = field.indexOf('=');
                String name = eq < 0 ? field : field.substring(0, eq);
                String value = eq < 0 ? "" : field.substring(eq + 1);
                switch (name) {
                    case "sched" -> scheduler = value;
                    case "flags" -> flags = Integer.parseInt(value);
                    case "timeout" -> timeout = Integer.parseInt(value);
                    case "netmask" -> netmask = Long.parseLong(value);
                    case "fwd" -> {
                        // dr's mark (NftDsr.MARK): the backends' forwarding, read on its own
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (scheduler == null || flags == null || timeout == null || netmask == null) {
            return Optional.empty();
        }
        return Optional.of(new ServiceSpec(key, scheduler, flags, timeout, netmask));
    }

    /**
     * The most slots wrr and sh give a service: weights that do not reduce (by their greatest common
     * divisor) to this many are shared out in proportion, each live backend keeping one slot at
     * least, so a weight is honoured to about one part in this many.
     */
    static final int MAX_WEIGHTED_SLOTS = 4096;

    /** A scheduling slot and the backend it selects. */
    record Slot(long index, BackendKey backend) {
    }

    /**
     * The slots of a service, one element each: for rr, wrr and sh, backends with weight above 0 in
     * {@link #BACKEND_ORDER}, one slot each for rr (IPVS's rr ignores weights but 0), for wrr, sh
     * and symhash as many as {@link #shares} gives their weight; for mh the {@link MaglevTable}.
     */
    static List<Slot> slots(DesiredService service) {
        return slots(service, Set.of());
    }

    /**
     * The slots of a service whose backends {@code overloaded} take no new connections ({@link
     * NftOverload}): as if their weight were 0.
     */
    static List<Slot> slots(DesiredService service, Set<BackendKey> overloaded) {
        if (!overloaded.isEmpty()) {
            Map<BackendKey, BackendSpec> usable = new LinkedHashMap<>();
            service.dests().forEach((b, d) -> usable.put(b, overloaded.contains(b) ? d.withWeight(0) : d));
            service = new DesiredService(service.spec(), usable);
        }
        if (maglev(service.spec())) {
            BackendKey[] table = MaglevTable.build(service.dests().values());
            List<Slot> slots = new ArrayList<>(table.length);
            for (int i = 0; i < table.length; i++) {
                slots.add(new Slot(i, table[i]));
            }
            return slots;
        }
        boolean weighted = !Scheduler.RR.configName().equals(service.spec().scheduler());
        List<BackendSpec> live = new ArrayList<>(service.dests().values().stream().filter(b -> b.weight() > 0).toList());
        live.sort(Comparator.comparing(BackendSpec::key, BACKEND_ORDER));
        long[] shares = weighted ? shares(live.stream().mapToLong(BackendSpec::weight).toArray()) : null;
        List<Slot> slots = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < live.size(); i++) {
            long width = weighted ? shares[i] : 1;
            for (long k = 0; k < width; k++, next++) {
                slots.add(new Slot(next, live.get(i).key()));
            }
        }
        return slots;
    }

    /**
     * How many slots each of {@code weights} (all above 0) gets: the weights over their greatest
     * common divisor, or, when those add up to more than {@link #MAX_WEIGHTED_SLOTS}, each weight's
     * share of that many rounded down, at least 1. A pure function of the weights, so directors with
     * the same config fill the slots alike (sh hashes a client to the same backend on each).
     */
    static long[] shares(long[] weights) {
        long gcd = 0;
        long sum = 0;
        for (long w : weights) {
            gcd = gcd(gcd, w);
            sum += w;
        }
        long cap = cap(weights.length);
        long[] shares = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            shares[i] = sum / gcd <= cap ? weights[i] / gcd : Math.max(1, weights[i] * cap / sum);
        }
        return shares;
    }

    /** Euclid's greatest common divisor of two weights (not negative); gcd(0, w) is w. */
    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /**
     * The slots weights are shared over for {@code backends} backends: {@link #MAX_WEIGHTED_SLOTS},
     * or 16 a backend when there are more than 256, so that the one slot every backend keeps
     * cannot crowd out a heavy one's share (4,000 backends at weight 1 beside one at 65535 would
     * give that one half the traffic in 4096 slots instead of its 94 %).
     */
    static long cap(int backends) {
        return Math.max(MAX_WEIGHTED_SLOTS, 16L * backends);
    }

    /**
     * How the service's rule picks a slot (mod 0 when no backend takes connections). Modes: {@code
     * inc} and {@code random} (numgen), {@code jhash} (of the source address), {@code
     * jhash-port} (source address . source port, the sh-port and mh-port flags) and {@code symhash}
     * (the kernel's symmetric flow hash, seed 0 here: the kernel's own, random per boot).
     */
    record Selector(String mode, long mod, long seed) {
    }

    /**
     * The selector {@link #slots} need: numgen inc (rr), numgen random (wrr), jhash of the source
     * over the slots (sh) or over the whole Maglev table (mh), symhash over the slots (symhash).
     */
    static Selector selector(DesiredService service) {
        return selector(service, slots(service));
    }

    /**
     * The same for {@code slots}, {@link #slots} of {@code service} already built: a caller that
     * writes the slots too builds them once (building them twice, Maglev tables included, was a
     * tenth of the Java side of programming 100 x 100).
     */
    static Selector selector(DesiredService service, List<Slot> slots) {
        long total = slots.size();
        String scheduler = service.spec().scheduler();
        ServiceKey key = service.spec().key();
        if (Scheduler.RR.configName().equals(scheduler)) {
            return new Selector("inc", total, 0);
        } else if (Scheduler.WRR.configName().equals(scheduler)) {
            return new Selector("random", total, 0);
        } else if (Scheduler.SYMHASH.configName().equals(scheduler)) {
            return new Selector("symhash", total, 0);
        } else if (Scheduler.SH.configName().equals(scheduler) || Scheduler.MH.configName().equals(scheduler)) {
            SchedulerFlag portFlag = Scheduler.SH.configName().equals(scheduler) ? SchedulerFlag.SH_PORT : SchedulerFlag.MH_PORT;
            boolean port = (service.spec().flags() & portFlag.bit()) != 0;
            return new Selector(port ? "jhash-port" : "jhash", total, seed(key));
        }
        throw new IllegalArgumentException("scheduler " + scheduler + " is not one nftables implements");
    }

    /** Whether {@code scheduler} is one this engine writes (a drifted one read back is not). */
    static boolean implemented(String scheduler) {
        return SCHEDULERS.stream().anyMatch(x -> x.configName().equals(scheduler));
    }

    /**
     * The jhash seed of a service: a CRC32 of its identity, so every director (and every rewrite of
     * the rule) hashes a client to the same slot; nft would pick a random seed per rule otherwise.
     */
    static long seed(ServiceKey key) {
        CRC32 crc = new CRC32();
        crc.update(chain(key).getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    /** A 32-bit seed as nft writes it. */
    static String hex(long seed) {
        return String.format(Locale.ROOT, "0x%08x", seed);
    }
}
