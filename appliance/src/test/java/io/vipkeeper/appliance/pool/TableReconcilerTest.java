package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.TableChange;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableReconcilerTest {
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, ip("198.18.0.100"), 80);
    private static final ServiceKey DNS = ServiceKey.of(TransportProtocol.UDP, ip("198.18.0.100"), 53);
    private static final ServiceSpec WEB_SPEC = new ServiceSpec(WEB, "wlc", 0, 0, 0xffffffffL);
    private static final BackendSpec RS1 = dest("198.18.1.1", 1);
    private static final BackendSpec RS2 = dest("198.18.1.2", 1);
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(30));

    static java.net.InetAddress ip(String s) {
        return NetUtil.createInetAddressFromIpAddressString(s);
    }

    static BackendSpec dest(String addr, int weight) {
        return new BackendSpec(new BackendKey(ip(addr), 80), Forwarding.NAT, weight, 0, 0);
    }

    static Map<ServiceKey, DesiredService> desired(ServiceSpec spec, BackendSpec... dests) {
        Map<BackendKey, BackendSpec> m = new LinkedHashMap<>();
        for (BackendSpec d : dests) {
            m.put(d.key(), d);
        }
        return Map.of(spec.key(), new DesiredService(spec, m));
    }

    static Map<ServiceKey, ActualService> kernel(ServiceSpec spec, ActualBackend... dests) {
        Map<BackendKey, ActualBackend> m = new LinkedHashMap<>();
        for (ActualBackend d : dests) {
            m.put(d.spec().key(), d);
        }
        return Map.of(spec.key(), new ActualService(spec, m, TrafficCounters.ZERO));
    }

    static ActualBackend k(BackendSpec d, long active) {
        return new ActualBackend(d, active, 0, 0, TrafficCounters.ZERO);
    }

    @Test
    void emptyKernelGetsTheWholeService() {
        List<TableChange> ops = reconciler.plan(desired(WEB_SPEC, RS1, RS2), Map.of(), Set.of(), 0);
        assertEquals(List.of(new TableChange.NewService(WEB_SPEC, "missing"), new TableChange.NewBackend(WEB, RS1, "missing"),
                new TableChange.NewBackend(WEB, RS2, "missing")), ops);
    }

    /**
     * A move from dr to nat with other real servers: an engine that forwards a service's real
     * servers alike deletes the old ones at once (a drain would leave the service mixed, which it
     * refuses); one that mixes them (IPVS) drains them as any removed real server.
     */
    @Test
    void aRemovedRealServerOfAnotherForwardingIsDeletedAtOnceWhereTheEngineCannotMix() {
        BackendSpec drOld = new BackendSpec(new BackendKey(ip("198.18.1.1"), 80), Forwarding.DR, 1, 0, 0);
        BackendSpec natNew = new BackendSpec(new BackendKey(ip("198.18.1.1"), 8080), Forwarding.NAT, 1, 0, 0);
        List<TableChange> alike = new TableReconciler(Duration.ofSeconds(30)).plan(desired(WEB_SPEC, natNew),
                kernel(WEB_SPEC, k(drOld, 2)), Set.of(), 0, false);
        assertEquals(2, alike.size(), alike.toString());
        assertEquals(new TableChange.NewBackend(WEB, natNew, "missing"), alike.get(0));
        assertEquals(TableChange.DelBackend.class, alike.get(1).getClass(), alike.toString());
        org.junit.jupiter.api.Assertions.assertTrue(alike.get(1).toString().contains("cannot drain by dr"), alike.toString());
        List<TableChange> mixed = new TableReconciler(Duration.ofSeconds(30)).plan(desired(WEB_SPEC, natNew),
                kernel(WEB_SPEC, k(drOld, 2)), Set.of(), 0, true);
        assertEquals(List.of(new TableChange.NewBackend(WEB, natNew, "missing"),
                new TableChange.SetBackend(WEB, drOld.withWeight(0), "removed, draining 2 active connections")), mixed);
        // The same forwarding still drains where the engine cannot mix.
        BackendSpec natOld = natNew.withWeight(1);
        BackendSpec natOther = new BackendSpec(new BackendKey(ip("198.18.1.2"), 8080), Forwarding.NAT, 1, 0, 0);
        assertEquals(List.of(new TableChange.NewBackend(WEB, natOther, "missing"),
                new TableChange.SetBackend(WEB, natOld.withWeight(0), "removed, draining 2 active connections")),
                new TableReconciler(Duration.ofSeconds(30)).plan(desired(WEB_SPEC, natOther), kernel(WEB_SPEC, k(natOld, 2)),
                        Set.of(), 0, false));
    }

    @Test
    void aCorrectTableNeedsNothingEvenWithKernelInternalFlags() {
        ServiceSpec hashed = new ServiceSpec(WEB, "wlc", 0x2, 0, 0xffffffffL);
        assertEquals(List.of(), reconciler.plan(desired(WEB_SPEC, RS1, RS2), kernel(hashed, k(RS1, 3), k(RS2, 0)),
                Set.of(), 0));
    }

    @Test
    void driftIsRepairedWithSetAndNew() {
        ServiceSpec edited = new ServiceSpec(WEB, "rr", 0, 0, 0xffffffffL);
        List<TableChange> ops = reconciler.plan(desired(WEB_SPEC, RS1, RS2), kernel(edited, k(RS1.withWeight(7), 0)),
                Set.of(), 0);
        assertEquals(3, ops.size());
        assertEquals(new TableChange.SetService(WEB_SPEC, "scheduler was rr"), ops.get(0));
        assertEquals(TableChange.SetBackend.class, ops.get(1).getClass());
        assertEquals(RS1, ((TableChange.SetBackend) ops.get(1)).dest());
        assertEquals(new TableChange.NewBackend(WEB, RS2, "missing"), ops.get(2));
    }

    @Test
    void changedFlagsAreLoggedByName() {
        ServiceSpec sh = new ServiceSpec(WEB, "sh", 0, 0, 0xffffffffL);
        ServiceSpec shPort = new ServiceSpec(WEB, "sh", SchedulerFlag.SH_PORT.bit(), 0, 0xffffffffL);
        assertEquals(List.of(new TableChange.SetService(shPort, "flags were none")),
                reconciler.plan(desired(shPort, RS1), kernel(sh, k(RS1, 0)), Set.of(), 0));
        assertEquals(List.of(new TableChange.SetService(sh, "flags were sh-port")),
                reconciler.plan(desired(sh, RS1), kernel(shPort, k(RS1, 0)), Set.of(), 0));
    }

    @Test
    void removedServerDrainsUntilIdleThenIsDeleted() {
        var want = desired(WEB_SPEC, RS1);
        List<TableChange> first = reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2, 4)), Set.of(), 0);
        assertEquals(List.of(new TableChange.SetBackend(WEB, RS2.withWeight(0), "removed, draining 4 active connections")),
                first);
        List<TableChange> second = reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(0), 2)), Set.of(),
                10_000_000_000L);
        assertEquals(List.of(), second, "weight already 0, still busy, within the timeout");
        List<TableChange> third = reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(0), 0)), Set.of(),
                12_000_000_000L);
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS2.key(), "removed, no active connections")), third);
    }

    @Test
    void anIdleRemovedServerGoesToWeightZeroFirstAndIsDeletedAfterTheGrace() {
        var want = desired(WEB_SPEC, RS1);
        assertEquals(List.of(new TableChange.SetBackend(WEB, RS2.withWeight(0), "removed, draining 0 active connections")),
                reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2, 0)), Set.of(), 0),
                "a connection may be opening: no delete while the weight was not 0");
        assertEquals(List.of(), reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(0), 0)), Set.of(),
                TableReconciler.GRACE_NANOS - 1));
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS2.key(), "removed, no active connections")),
                reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(0), 0)), Set.of(),
                        TableReconciler.GRACE_NANOS));
    }

    @Test
    void aZeroDrainTimeoutDeletesAtOnce() {
        TableReconciler now = new TableReconciler(java.time.Duration.ZERO);
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS2.key(), "removed, drain timeout with 3 active connections")),
                now.plan(desired(WEB_SPEC, RS1), kernel(WEB_SPEC, k(RS1, 0), k(RS2, 3)), Set.of(), 0));
    }

    @Test
    void drainTimeoutDeletesABusyServer() {
        var want = desired(WEB_SPEC, RS1);
        reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2, 4)), Set.of(), 0);
        List<TableChange> late = reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(0), 4)), Set.of(),
                30_000_000_000L);
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS2.key(), "removed, drain timeout with 4 active connections")),
                late);
    }

    @Test
    void aServerAddedBackDuringItsDrainGetsItsWeightBack() {
        reconciler.plan(desired(WEB_SPEC, RS1), kernel(WEB_SPEC, k(RS1, 0), k(RS2, 4)), Set.of(), 0);
        List<TableChange> ops = reconciler.plan(desired(WEB_SPEC, RS1, RS2),
                kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(0), 4)), Set.of(), 29_000_000_000L);
        assertEquals(1, ops.size());
        assertEquals(RS2, ((TableChange.SetBackend) ops.get(0)).dest());
        List<TableChange> after = reconciler.plan(desired(WEB_SPEC, RS1), kernel(WEB_SPEC, k(RS1, 0), k(RS2, 4)),
                Set.of(), 31_000_000_000L);
        assertEquals(TableChange.SetBackend.class, after.get(0).getClass(), "a fresh drain, not the old clock");
    }

    @Test
    void servicesNotOursAreLeftAloneAndFormerlyOwnedOnesDeleted() {
        ServiceSpec dnsSpec = new ServiceSpec(DNS, "rr", 0, 0, 0xffffffffL);
        Map<ServiceKey, ActualService> actual = new LinkedHashMap<>(kernel(WEB_SPEC, k(RS1, 0)));
        actual.putAll(kernel(dnsSpec));
        assertEquals(List.of(), reconciler.plan(desired(WEB_SPEC, RS1), actual, Set.of(), 0));
        assertEquals(List.of(new TableChange.DelService(DNS, "no longer configured")),
                reconciler.plan(desired(WEB_SPEC, RS1), actual, Set.of(DNS), 0));
    }

    /** A kernel table that counts the reconciler's lookups, to see whether a run was planned. */
    private static final class Counted extends LinkedHashMap<ServiceKey, ActualService> {
        int gets;

        Counted(Map<ServiceKey, ActualService> table) {
            super(table);
        }

        @Override
        public ActualService get(Object key) {
            gets++;
            return super.get(key);
        }
    }

    @Test
    void aRunHandedTheTablesOfTheLastQuietRunIsNotPlannedAgain() {
        var want = desired(WEB_SPEC, RS1, RS2);
        Counted actual = new Counted(kernel(WEB_SPEC, k(RS1, 0), k(RS2, 0)));
        assertEquals(List.of(), reconciler.plan(want, actual, Set.of(), 0));
        int planned = actual.gets;
        assertEquals(List.of(), reconciler.plan(want, actual, Set.of(), 1));
        assertEquals(planned, actual.gets, "the same desired and kernel maps as a run that found nothing: no plan");
        assertEquals(List.of(), reconciler.plan(want, actual, new java.util.HashSet<>(), 2));
        assertEquals(planned, actual.gets, "an equal formerly-owned set is the same input");
    }

    @Test
    void aTableReadAgainOrANewDesiredTableIsPlannedEvenAfterAQuietRun() {
        var want = desired(WEB_SPEC, RS1, RS2);
        var actual = kernel(WEB_SPEC, k(RS1, 0), k(RS2, 0));
        assertEquals(List.of(), reconciler.plan(want, actual, Set.of(), 0));
        // A hand edit: the engine read its table again, a new map.
        assertEquals(List.of(new TableChange.SetBackend(WEB, RS2, "was nat weight 7")),
                reconciler.plan(want, kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(7), 0)), Set.of(), 1));
        assertEquals(List.of(), reconciler.plan(want, actual, Set.of(), 2));
        assertEquals(List.of(new TableChange.SetBackend(WEB, RS2.withWeight(3), "was nat weight 1")),
                reconciler.plan(desired(WEB_SPEC, RS1, RS2.withWeight(3)), actual, Set.of(), 3), "a health change");
        assertEquals(List.of(), reconciler.plan(want, actual, Set.of(), 4));
        assertEquals(List.of(), reconciler.plan(want, actual, Set.of(DNS), 5), "DNS is not in the table");
    }

    @Test
    void aDrainUnderWayIsPlannedEveryRunSinceItsClockMoves() {
        var want = desired(WEB_SPEC, RS1);
        var actual = kernel(WEB_SPEC, k(RS1, 0), k(RS2.withWeight(0), 0));
        assertEquals(List.of(), reconciler.plan(want, actual, Set.of(), 0), "within the grace");
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS2.key(), "removed, no active connections")),
                reconciler.plan(want, actual, Set.of(), TableReconciler.GRACE_NANOS), "the same maps, but the grace is over");
    }

    // Canonical destination order of hashing services on IPVS (HashListOrder).

    private static final ServiceSpec MH = new ServiceSpec(WEB, "mh", 0, 0, 0xffffffffL);
    private static final BackendSpec RS3 = dest("198.18.1.3", 1);
    private static final BackendSpec RS10 = dest("198.18.1.10", 1);
    private static final io.vipkeeper.appliance.dataplane.Capabilities IPVS =
            io.vipkeeper.appliance.ipvs.IpvsKernel.CAPABILITIES;

    /** The kernel's list after {@code ops}, as IPVS makes it: an added destination goes to the head. */
    static List<BackendKey> afterIpvs(List<ActualBackend> list, List<TableChange> ops) {
        List<BackendKey> keys = new java.util.ArrayList<>(list.stream().map(b -> b.spec().key()).toList());
        for (TableChange op : ops) {
            if (op instanceof TableChange.DelBackend d) {
                assertEquals(true, keys.remove(d.dest()), "deletes a destination in the list: " + op);
            } else if (op instanceof TableChange.NewBackend n) {
                assertEquals(false, keys.contains(n.dest().key()), "adds a destination not in the list: " + op);
                keys.add(0, n.dest().key());
            }
        }
        return keys;
    }

    private static List<BackendKey> keys(BackendSpec... dests) {
        return java.util.Arrays.stream(dests).map(BackendSpec::key).toList();
    }

    @Test
    void aNewMhServiceIsAddedLastInCanonicalOrderFirstWhateverTheConfigOrder() {
        List<TableChange> ops = reconciler.plan(desired(MH, RS10, RS2, RS1, RS3), Map.of(), Set.of(), 0, IPVS);
        assertEquals(List.of(new TableChange.NewService(MH, "missing"), new TableChange.NewBackend(WEB, RS10, "missing"),
                new TableChange.NewBackend(WEB, RS3, "missing"), new TableChange.NewBackend(WEB, RS2, "missing"),
                new TableChange.NewBackend(WEB, RS1, "missing")), ops);
        assertEquals(keys(RS1, RS2, RS3, RS10), afterIpvs(List.of(), ops), "address bytes, not text: .10 after .3");
    }

    @Test
    void aCanonicalListCostsNothing() {
        assertEquals(List.of(), reconciler.plan(desired(MH, RS3, RS1, RS2), kernel(MH, k(RS1, 0), k(RS2, 5), k(RS3, 0)),
                Set.of(), 0, IPVS));
    }

    @Test
    void orderDriftIsRepairedByAddingAgainOnlyWhatIsBeforeTheLongestCanonicalTail() {
        // RS2 failed and came back: IPVS put it at the head. RS2, RS3 are already the canonical tail.
        List<ActualBackend> list = List.of(k(RS2, 4), k(RS1, 7), k(RS3, 0));
        List<TableChange> ops = reconciler.plan(desired(MH, RS1, RS2, RS3), kernel(MH, list.toArray(ActualBackend[]::new)),
                Set.of(), 0, IPVS);
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS1.key(), "to add again in canonical mh order (out of mh order)"),
                new TableChange.NewBackend(WEB, RS1, "added again in canonical mh order (out of mh order)")), ops);
        assertEquals(keys(RS1, RS2, RS3), afterIpvs(list, ops));
    }

    @Test
    void aBackendComingBackInTheMiddleIsAddedWithThoseBeforeIt() {
        List<ActualBackend> list = List.of(k(RS1, 0), k(RS3, 0), k(RS10, 0));
        List<TableChange> ops = reconciler.plan(desired(MH, RS1, RS2, RS3, RS10), kernel(MH, list.toArray(ActualBackend[]::new)),
                Set.of(), 0, IPVS);
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS1.key(), "to add again in canonical mh order (out of mh order)"),
                new TableChange.NewBackend(WEB, RS2, "missing"),
                new TableChange.NewBackend(WEB, RS1, "added again in canonical mh order (out of mh order)")), ops);
        assertEquals(keys(RS1, RS2, RS3, RS10), afterIpvs(list, ops));
    }

    @Test
    void anMhBackendGoingToWeightZeroIsAddedAgainAtZeroSoItTakesNoSlot() {
        // Removed from the config: the drain's weight 0 is an addition at 0, in place.
        List<ActualBackend> list = List.of(k(RS1, 0), k(RS2, 3), k(RS3, 0));
        List<TableChange> ops = reconciler.plan(desired(MH, RS1, RS3), kernel(MH, list.toArray(ActualBackend[]::new)),
                Set.of(), 0, IPVS);
        String why = "removed, draining 3 active connections; added again at weight 0 so it takes no mh slot";
        assertEquals(List.of(new TableChange.DelBackend(WEB, RS1.key(), "to add again in canonical mh order (out of mh order)"),
                new TableChange.DelBackend(WEB, RS2.key(), "to add again in canonical mh order (" + why + ")"),
                new TableChange.NewBackend(WEB, RS2.withWeight(0), "added again in canonical mh order (" + why + ")"),
                new TableChange.NewBackend(WEB, RS1, "added again in canonical mh order (out of mh order)")), ops);
        assertEquals(keys(RS1, RS2, RS3), afterIpvs(list, ops));
        // Once at 0 and in order, the drain goes on as on any scheduler.
        assertEquals(List.of(), reconciler.plan(desired(MH, RS1, RS3),
                kernel(MH, k(RS1, 0), k(RS2.withWeight(0), 3), k(RS3, 0)), Set.of(), 1, IPVS));
    }

    @Test
    void onlyHashingSchedulersOnIpvsKeepAnOrder() {
        var drifted = kernel(WEB_SPEC, k(RS2, 0), k(RS1, 0));
        assertEquals(List.of(), reconciler.plan(desired(WEB_SPEC, RS1, RS2), drifted, Set.of(), 0, IPVS), "wlc");
        assertEquals(List.of(), new TableReconciler(Duration.ofSeconds(30)).plan(desired(MH, RS1, RS2),
                kernel(MH, k(RS2, 0), k(RS1, 0)), Set.of(), 0,
                io.vipkeeper.appliance.nftables.NftablesDataPlane.CAPABILITIES), "nftables sorts by itself");
        ServiceSpec sh = new ServiceSpec(WEB, "sh", 0, 0, 0xffffffffL);
        assertEquals(2, new TableReconciler(Duration.ofSeconds(30)).plan(desired(sh, RS1, RS2),
                kernel(sh, k(RS2, 0), k(RS1, 0)), Set.of(), 0, IPVS).size(), "sh deals its buckets round the list");
    }

    /** Whatever the list's history, one run leaves it canonical, and the next run has nothing to do. */
    @net.jqwik.api.Property(tries = 300)
    void anyListEndsCanonicalInOneRun(@net.jqwik.api.ForAll("lists") List<Integer> kernelHosts,
            @net.jqwik.api.ForAll("lists") List<Integer> wantedHosts) {
        List<ActualBackend> list = kernelHosts.stream().map(h -> k(dest("198.18.1." + h, 1), 0)).toList();
        BackendSpec[] wanted = wantedHosts.stream().map(h -> dest("198.18.1." + h, 1)).toArray(BackendSpec[]::new);
        TableReconciler r = new TableReconciler(Duration.ZERO);
        List<TableChange> ops = r.plan(desired(MH, wanted), kernel(MH, list.toArray(ActualBackend[]::new)), Set.of(), 0,
                IPVS);
        List<BackendKey> after = afterIpvs(list, ops);
        List<BackendKey> canonical = new java.util.ArrayList<>(keys(wanted));
        canonical.sort(HashListOrder.CANONICAL);
        assertEquals(canonical, after);
        ActualBackend[] now = after.stream().map(key -> k(new BackendSpec(key, Forwarding.NAT, 1, 0, 0), 0))
                .toArray(ActualBackend[]::new);
        assertEquals(List.of(), r.plan(desired(MH, wanted), kernel(MH, now), Set.of(), 1, IPVS));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<Integer>> lists() {
        return net.jqwik.api.Arbitraries.integers().between(1, 40).list().ofMaxSize(12).uniqueElements();
    }
}
