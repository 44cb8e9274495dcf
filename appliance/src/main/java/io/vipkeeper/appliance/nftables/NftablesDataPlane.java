package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nftables engine: NAT forwarding of TCP, UDP, SCTP and firewall-mark services, IPv4 and IPv6, with rr, wrr, sh
 * and mh, in the table {@code inet vipkeeper_lb}, and dr and UDP stateless-nat with sh and mh
 * through {@link NftDsr}'s netdev table (see the package description for the layout). One
 * {@link #apply} is one nft transaction that rewrites only the services it changes; when nft
 * refuses it, each service is tried on its own so one bad service does not hold back the rest.
 * Holds the table as last read or programmed, since a service is rewritten from it (whole, but
 * for mh's slots and the counter elements, which change by difference). Used from one thread
 * (the one whose network namespace it programs).
 */
public final class NftablesDataPlane implements DataPlane {
    private static final Logger log = LoggerFactory.getLogger(NftablesDataPlane.class);
    /** The engine's table, as nft names it. */
    public static final String TABLE = "inet " + NftLayout.TABLE;
    /** Direct routing's table, as nft names it. */
    public static final String DSR_TABLE = NftDsr.TABLE;
    /** What it implements; without a scheduler in the config a service gets wrr (weighted random). */
    public static final Capabilities CAPABILITIES = new Capabilities("nftables",
            NftLayout.SCHEDULERS,
            EnumSet.of(SchedulerFlag.SH_PORT, SchedulerFlag.MH_PORT), EnumSet.of(Forwarding.NAT, Forwarding.DR, Forwarding.STATELESS_NAT), Set.of(),
            EnumSet.of(TransportProtocol.TCP, TransportProtocol.UDP, TransportProtocol.SCTP), true,
            EnumSet.of(Capabilities.Option.PORT_LISTS, Capabilities.Option.PERSISTENCE, Capabilities.Option.PERSISTENCE_IPV6,
                    Capabilities.Option.DR_IPV6, Capabilities.Option.THRESHOLDS),
            Scheduler.WRR);

    private final NftContext nft;
    /** Direct routing's netdev table. */
    private final NftDsr dsr;
    /** The ruleset generation, where the kernel answers it; null after it failed once. */
    private NftGeneration generations;
    /** The counters read over netlink, without the table; null after it failed once (then a full read). */
    private NftCounters counts;
    /** The generation {@link #lastRead} was read at; -1 when none or after a change of ours. */
    private long readAt = -1;
    private Map<ServiceKey, ActualService> lastRead = Map.of();
    private int cachedReads;
    /** The next table() counts the flows even when it answers from {@link #lastRead} ({@link #readWholeNext}). */
    private boolean countNext;
    /** The table as last read or programmed. */
    private Map<ServiceKey, DesiredService> programmed = new LinkedHashMap<>();
    /** The backends' conntrack flows: counted as active connections, cut when a backend is deleted. */
    private final NftFlows flows = new NftFlows();

    /**
     * Whether {@link #table()} judges connection thresholds and rewrites the slots of a backend
     * whose overload changed; false for a reader ({@code vipkeeper nftables list}), which must
     * not write.
     */
    private final boolean judges;

    /** An engine on a new libnftables context in the calling thread's network namespace. */
    public NftablesDataPlane() {
        this(new NftContext(), true);
    }

    /**
     * An engine that only reads: its {@link #table()} reports overload as the table holds it and
     * never writes (it may still {@link #apply}).
     */
    public static NftablesDataPlane reader() {
        return new NftablesDataPlane(new NftContext(), false);
    }

    NftablesDataPlane(NftContext nft) {
        this(nft, true);
    }

    private NftablesDataPlane(NftContext nft, boolean judges) {
        this.nft = nft;
        this.judges = judges;
        DsrHops hops = new DsrHops();
        NftLinks links = new NftLinks();
        this.dsr = new NftDsr(nft, hops::snapshot, links::snapshot);
        try {
            this.generations = new NftGeneration();
        } catch (RuntimeException e) {
            this.generations = null; // every run reads the whole table, as before the generation check
        }
        try {
            this.counts = new NftCounters();
        } catch (RuntimeException e) {
            this.counts = null;
        }
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * The table as last read while the ruleset generation has not moved since, for at most this
     * many runs in a row; then its counts are brought up to date over netlink ({@link
     * NftCounters}: the counter sets' elements and the services' named counters, not the rest of
     * the table), which is when per-backend and service counters in status and /metrics move on
     * (counters do not move the generation): at the default 5 s interval they are at most 50 s
     * old. The table is read whole (libnftables JSON) only when the generation moved, so drift is
     * seen at the next run: any change to any table moves it. NftablesBench at 100x100: an idle
     * run 0.7-1.1 ms, the counter refresh run 140-250 ms against 1.3-2.7 s for a whole read,
     * 1-4 % of programming from empty on average with one refresh in 10 (a whole read every 20th
     * run was 7-14 %).
     */
    public static final int CACHED_READS = 9;

    /**
     * The next {@link #table()} counts the backends' flows in conntrack even when it answers from
     * the last read: a run for a reload, a health change or an order plans against them, and a
     * drain it starts logs "removed, draining N active connections" with N from them (it said 0
     * for a backend with an open connection, counted at a read before that connection opened).
     * The rest of the table needs no new read: any change to it moves the ruleset generation.
     */
    @Override
    public void readWholeNext() {
        countNext = true;
    }

    @Override
    public Map<ServiceKey, ActualService> table() {
        boolean count = countNext;
        countNext = false;
        long generation = generation();
        if (generation >= 0 && generation == readAt && cachedReads >= CACHED_READS && recount()) {
            cachedReads = 0;
        } else if (generation >= 0 && generation == readAt && cachedReads < CACHED_READS) {
            cachedReads++;
        } else {
            cachedReads = 0;
            Map<ServiceKey, ActualService> table = flows.counted(read());
            readAt = generation;
            lastRead = table;
            return judges && NftOverload.any(programmed) ? overload() : table;
        }
        boolean thresholds = judges && NftOverload.any(programmed);
        if (count || NftFlows.draining(lastRead) || thresholds) {
            // A drain ends when its backend's flows do, and a threshold is judged on them: their
            // count may not wait for a full read.
            lastRead = flows.counted(lastRead);
        }
        if (thresholds) {
            lastRead = overload();
        }
        // dr's MACs change without a new generation: they are looked up at every run.
        return NftDsr.any(programmed) ? dsr.recheck(lastRead, programmed) : lastRead;
    }

    /**
     * Judges each backend with a connection threshold on the counts of {@link #lastRead} ({@link
     * NftOverload}) and, when one became overloaded or was released, rewrites its service's slots
     * (one transaction for all of them) and reads the table again; {@link #lastRead} as it is when
     * nothing changed or nft refused (logged; the next run tries again).
     */
    private Map<ServiceKey, ActualService> overload() {
        Map<ServiceKey, Set<BackendKey>> now = NftOverload.read(lastRead);
        Map<ServiceKey, Set<BackendKey>> next = NftOverload.decide(lastRead, programmed);
        if (now.equals(next)) {
            return lastRead;
        }
        Set<ServiceKey> changed = new java.util.LinkedHashSet<>();
        for (ServiceKey key : programmed.keySet()) {
            Set<BackendKey> was = now.getOrDefault(key, Set.of());
            Set<BackendKey> will = next.getOrDefault(key, Set.of());
            if (!was.equals(will)) {
                changed.add(key);
                log(key, was, will);
            }
        }
        try {
            nft.run(NftScript.transaction(programmed, programmed, changed, next));
        } catch (RuntimeException e) {
            log.warn("nftables could not take overloaded real servers out of (or back into) {}: {}", changed, e.getMessage());
            return lastRead;
        }
        long generation = generation();
        cachedReads = 0;
        lastRead = flows.counted(read());
        readAt = generation;
        return lastRead;
    }

    private void log(ServiceKey key, Set<BackendKey> was, Set<BackendKey> will) {
        Map<BackendKey, ActualBackend> counts = lastRead.get(key).dests();
        for (BackendKey b : will) {
            if (!was.contains(b)) {
                ActualBackend a = counts.get(b);
                log.info("nftables: real server {} of {} overloaded ({} connections, upper threshold {}): no new connections",
                        b, key, a.activeConnections() + a.inactiveConnections(), a.spec().upperThreshold());
            }
        }
        for (BackendKey b : was) {
            if (!will.contains(b)) {
                ActualBackend a = counts.get(b);
                log.info("nftables: real server {} of {} no longer overloaded ({} connections): takes new connections again",
                        b, key, a == null ? 0 : a.activeConnections() + a.inactiveConnections());
            }
        }
    }

    /** Brings the counts of {@link #lastRead} up to date over netlink; false when that failed (then a full read). */
    private boolean recount() {
        if (counts == null) {
            return false;
        }
        try {
            lastRead = counts.recount(lastRead);
            String strays = counts.strays(lastRead);
            if (!strays.isEmpty()) {
                try {
                    nft.run(strays); // moves the generation: the next run reads the table whole
                } catch (NftException e) {
                    // the next refresh finds them again
                }
            }
            return true;
        } catch (RuntimeException e) {
            counts.close();
            counts = null;
            return false;
        }
    }

    /** The ruleset generation, or -1 when it cannot be read (every run then reads the table). */
    private long generation() {
        if (generations == null) {
            return -1;
        }
        try {
            return generations.current();
        } catch (RuntimeException e) {
            generations.close();
            generations = null;
            return -1;
        }
    }

    private Map<ServiceKey, ActualService> read() {
        String json;
        try {
            json = nft.json("list table " + TABLE);
        } catch (NftException e) {
            if (e.getMessage().contains("No such file or directory")) {
                programmed = new LinkedHashMap<>();
                return Map.of();
            }
            throw e;
        }
        Map<ServiceKey, ActualService> table = NftTableReader.read(json);
        Map<ServiceKey, DesiredService> seen = new LinkedHashMap<>();
        table.forEach((k, v) -> {
            Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
            v.dests().forEach((b, a) -> dests.put(b, a.spec()));
            seen.put(k, new DesiredService(v.spec(), dests));
        });
        programmed = seen;
        return dsr.check(table, seen);
    }

    /**
     * Programs {@code changes}, then cuts the conntrack flows of every backend they deleted: a
     * drain ends here (the shared reconciler deletes a removed backend once its flows ended or the
     * drain timeout passed), and a flow left in conntrack would go on to it for as long as it lives.
     */
    @Override
    public List<Failure> apply(List<TableChange> changes) {
        Map<ServiceKey, DesiredService> before = programmed;
        List<Failure> failures = new ArrayList<>(program(changes));
        flows.cut(NftFlows.deleted(changes, failures, before));
        // In the order of the changes, however they were judged.
        failures.sort(java.util.Comparator.comparingInt(f -> changes.indexOf(f.op())));
        return failures;
    }

    private List<Failure> program(List<TableChange> changes) {
        Map<ServiceKey, Set<BackendKey>> overloaded = NftOverload.read(lastRead);
        readAt = -1; // what this writes is read back whole at the next run
        List<Failure> failures = new ArrayList<>();
        TableDraft draft = new TableDraft(programmed);
        Map<ServiceKey, List<TableChange>> byService = new LinkedHashMap<>();
        for (TableChange op : changes) {
            String refusal = refusal(op, draft);
            if (refusal != null) {
                failures.add(new Failure(op, new IllegalArgumentException(TableChange.describe(op) + ": " + refusal)));
                continue;
            }
            draft.fold(op);
            byService.computeIfAbsent(op.service(), k -> new ArrayList<>()).add(op);
        }
        Map<ServiceKey, DesiredService> next = draft.table();
        // dr is judged on each service as all its changes leave it, not change by change: a
        // service moving between nat and dr is mixed until its last real server moved, and a
        // check in between refused every step of the move for ever (found by review). IPv6
        // persistence's one port likewise: a pool moving to another port has the new real servers
        // added before the old ones go to weight 0. Only where
        // the end state cannot be forwarded are its changes judged one by one, so what can be
        // programmed still is.
        for (Map.Entry<ServiceKey, List<TableChange>> e : byService.entrySet()) {
            ServiceKey key = e.getKey();
            if (!next.containsKey(key) || endStateRefusal(next.get(key)) == null) {
                continue;
            }
            Map<ServiceKey, DesiredService> one = new LinkedHashMap<>();
            if (programmed.containsKey(key)) {
                one.put(key, programmed.get(key));
            }
            List<TableChange> kept = new ArrayList<>();
            for (TableChange op : e.getValue()) {
                Map<ServiceKey, DesiredService> trial = new LinkedHashMap<>(one);
                fold(op, trial);
                String dr = trial.containsKey(key) ? endStateRefusal(trial.get(key)) : null;
                if (dr != null) {
                    failures.add(new Failure(op, new IllegalArgumentException(TableChange.describe(op) + ": " + dr)));
                } else {
                    fold(op, one);
                    kept.add(op);
                }
            }
            e.setValue(kept);
            if (one.containsKey(key)) {
                next.put(key, one.get(key));
            } else {
                next.remove(key);
            }
        }
        byService.values().removeIf(List::isEmpty);
        if (byService.isEmpty()) {
            return failures;
        }
        try {
            nft.run(NftScript.transaction(programmed, next, byService.keySet(), NftOverload.carried(overloaded, programmed, next))
                    + NftPersistence.forget(nft, programmed, next,
                    byService.keySet()));
            programmed = next;
            dsr.program(programmed);
            return failures;
        } catch (NftException whole) {
            if (byService.size() == 1) {
                byService.values().iterator().next().forEach(op -> failures.add(new Failure(op, whole)));
                return failures;
            }
        }
        for (Map.Entry<ServiceKey, List<TableChange>> e : byService.entrySet()) {
            Map<ServiceKey, DesiredService> one = new LinkedHashMap<>(programmed);
            DesiredService svc = next.get(e.getKey());
            if (svc == null) {
                one.remove(e.getKey());
            } else {
                one.put(e.getKey(), svc);
            }
            try {
                nft.run(NftScript.transaction(programmed, one, List.of(e.getKey()), NftOverload.carried(overloaded, programmed, one))
                        + NftPersistence.forget(nft, programmed, one,
                        List.of(e.getKey())));
                programmed = one;
            } catch (NftException refused) {
                e.getValue().forEach(op -> failures.add(new Failure(op, refused)));
            }
        }
        dsr.program(programmed);
        return failures;
    }

    /**
     * Why dr or stateless-nat cannot forward {@code svc} as it is, or its IPv6 persistence cannot
     * be kept (live real servers on more than one port), or null. Judged on the state all of a
     * run's changes leave: a reload that moves a whole IPv6 persistent pool to another port adds
     * the new real servers before it sets the old ones to weight 0, and judged change by change
     * the adds were refused until the old ones had drained (found by review).
     */
    private static String endStateRefusal(DesiredService svc) {
        String dr = NftDsr.refusal(svc);
        dr = dr != null ? dr : NftStateless.refusal(svc);
        return dr != null ? dr : NftPersistence.refusal(svc);
    }

    /** Why this engine cannot carry out {@code op} on {@code table}, or null. */
    private static String refusal(TableChange op, TableDraft table) {
        ServiceKey key = op.service();
        if (!key.isFwmark() && TransportProtocol.ofNumber(key.protocol()).filter(CAPABILITIES.protocols()::contains).isEmpty()) {
            return "nftables balances TCP, UDP and SCTP only";
        }
        if (op instanceof TableChange.NewService o) {
            return specRefusal(o.spec());
        } else if (op instanceof TableChange.SetService o) {
            if (!table.has(key)) {
                return "no such service";
            }
            return specRefusal(o.spec());
        } else if (op instanceof TableChange.DelService) {
            return table.has(key) ? null : "no such service";
        } else if (op instanceof TableChange.NewBackend o) {
            return !table.has(key) ? "no such service" : backendRefusal(table.spec(key), table.dests(key), o.dest());
        } else if (op instanceof TableChange.SetBackend o) {
            return !table.has(key) || !table.dests(key).containsKey(o.dest().key()) ? "no such real server"
                    : backendRefusal(table.spec(key), table.dests(key), o.dest());
        } else if (op instanceof TableChange.DelBackend o) {
            return table.has(key) && table.dests(key).containsKey(o.dest()) ? null : "no such real server";
        }
        return "unknown change";
    }

    private static String specRefusal(ServiceSpec spec) {
        if (CAPABILITIES.schedulers().stream().noneMatch(s -> s.configName().equals(spec.scheduler()))) {
            return "scheduler " + spec.scheduler() + " is not one nftables implements (rr, wrr, sh, mh, symhash)";
        }
        int honoured = 0;
        for (SchedulerFlag f : CAPABILITIES.schedulerFlags()) {
            if (f.scheduler().configName().equals(spec.scheduler())) {
                honoured |= f.bit();
            }
        }
        if ((spec.flags() & ServiceSpec.SETTABLE_FLAGS & ~honoured & ~ServiceSpec.PERSISTENT) != 0) {
            return "nftables implements no one-packet or scheduler flags but sh-port and mh-port";
        }
        if (NftPersistence.persistent(spec) && (spec.key().isFwmark() || spec.key().hasPorts())) {
            return "nftables implements persistence for address and port services only";
        }
        if (spec.key().port() == 0 && !spec.key().isFwmark() && !spec.key().hasPorts()) {
            return "nftables balances no all-ports (port 0) services";
        }
        return null;
    }

    private static String backendRefusal(ServiceSpec spec, Map<BackendKey, BackendSpec> dests, BackendSpec dest) {
        ServiceKey service = spec.key();
        String ports = NftFwmark.mixedPorts(service, dests.keySet(), dest);
        if (ports != null) {
            return ports;
        }
        if (!CAPABILITIES.forwarding().contains(dest.forwarding())) {
            return "nftables forwards by NAT, dr and stateless-nat only";
        }
        if (dest.forwarding() != Forwarding.NAT && NftPersistence.persistent(spec)) {
            return "nftables implements persistence for NAT only";
        }
        if ((dest.key().address().getAddress().length == 16) != service.ipv6()) {
            return "the real server's address family is not the service's";
        }
        if (dest.upperThreshold() != 0 || dest.lowerThreshold() != 0) {
            String why = thresholdRefusal(service, dest);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /**
     * Why {@code dest} of {@code service} can have no connection threshold, or null: the engine
     * counts a backend's connections in conntrack by VIP and port, so NAT of an address and port
     * service only (dr and stateless-nat forward in netdev ingress, before conntrack).
     */
    static String thresholdRefusal(ServiceKey service, BackendSpec dest) {
        if (dest.forwarding() != Forwarding.NAT) {
            return "nftables implements connection thresholds for nat only: " + dest.forwarding().configName()
                    + " forwards in netdev ingress, where no conntrack counts the connections";
        }
        if (service.isFwmark() || service.hasPorts()) {
            return "nftables implements connection thresholds for address and port services only"
                    + " (it counts a real server's connections by VIP and port)";
        }
        return null;
    }

    /** Applies {@code op} to the model {@code table}. */
    private static void fold(TableChange op, Map<ServiceKey, DesiredService> table) {
        ServiceKey key = op.service();
        DesiredService old = table.get(key);
        if (op instanceof TableChange.NewService o) {
            table.put(key, new DesiredService(o.spec(), old == null ? Map.of() : old.dests()));
        } else if (op instanceof TableChange.SetService o) {
            table.put(key, new DesiredService(o.spec(), old.dests()));
        } else if (op instanceof TableChange.DelService) {
            table.remove(key);
        } else if (op instanceof TableChange.NewBackend o) {
            table.put(key, withDest(old, o.dest()));
        } else if (op instanceof TableChange.SetBackend o) {
            table.put(key, withDest(old, o.dest()));
        } else if (op instanceof TableChange.DelBackend o) {
            Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>(old.dests());
            dests.remove(o.dest());
            table.put(key, new DesiredService(old.spec(), dests));
        }
    }

    private static DesiredService withDest(DesiredService svc, BackendSpec dest) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>(svc.dests());
        dests.put(dest.key(), dest);
        return new DesiredService(svc.spec(), dests);
    }

    @Override
    public void close() {
        flows.close();
        if (counts != null) {
            counts.close();
        }
        if (generations != null) {
            generations.close();
        }
        nft.close();
    }
}
