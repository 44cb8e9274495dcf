package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.backend;
import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static io.vipkeeper.appliance.nftables.NftFixtures.service;
import static io.vipkeeper.appliance.nftables.NftFixtures.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The overload state machine, as ip_vs_bind_dest / ip_vs_unbind_dest / __ip_vs_update_dest have it. */
class NftOverloadTest {
    private static final ServiceKey WEB = tcp("198.18.230.100", 80);
    private static final BackendKey WEB1 = new BackendKey(ip("198.18.230.11"), 8080);
    private static final BackendKey WEB2 = new BackendKey(ip("198.18.230.12"), 8080);

    @Test
    void overloadedAtTheUpperThresholdAndNotBelowIt() {
        assertFalse(NftOverload.next(false, 9, 10, 0));
        assertTrue(NftOverload.next(false, 10, 10, 0));
        assertTrue(NftOverload.next(false, 11, 10, 0));
        assertTrue(NftOverload.next(true, 10, 10, 5));
    }

    @Test
    void releasedBelowTheLowerThreshold() {
        assertTrue(NftOverload.next(true, 9, 10, 5), "between lower and upper it stays overloaded");
        assertTrue(NftOverload.next(true, 5, 10, 5), "at the lower threshold too");
        assertFalse(NftOverload.next(true, 4, 10, 5), "below it, released");
        assertFalse(NftOverload.next(false, 9, 10, 5), "not overloaded, it is not made so below the upper");
    }

    @Test
    void withoutALowerThresholdReleasedBelowThreeQuartersOfTheUpper() {
        // upper 8: released when connections * 4 < 24, so at 5 and not at 6.
        assertTrue(NftOverload.next(true, 7, 8, 0));
        assertTrue(NftOverload.next(true, 6, 8, 0));
        assertFalse(NftOverload.next(true, 5, 8, 0));
        // upper 2: 3/4 is 1.5, released at 1.
        assertTrue(NftOverload.next(true, 2, 2, 0));
        assertFalse(NftOverload.next(true, 1, 2, 0));
    }

    @Test
    void noUpperThresholdNeverOverloaded() {
        assertFalse(NftOverload.next(false, 1_000_000, 0, 0));
        assertFalse(NftOverload.next(true, 1_000_000, 0, 0), "a threshold taken away releases it");
    }

    @Test
    void aRaisedOrRemovedThresholdOrWeightZeroReleasesAsTheKernelDoes() {
        BackendSpec at10 = threshold(1, 10);
        assertTrue(NftOverload.kept(at10, threshold(1, 10)));
        assertTrue(NftOverload.kept(at10, threshold(3, 8)), "a lower threshold keeps it (the next run judges it)");
        assertFalse(NftOverload.kept(at10, threshold(1, 11)), "raised");
        assertFalse(NftOverload.kept(at10, threshold(1, 0)), "taken away");
        assertFalse(NftOverload.kept(at10, threshold(0, 10)), "weight 0: drained instead");
    }

    @Test
    void decideCountsActiveAndInactiveAndCarriesTheStateOver() {
        DesiredService svc = service(WEB, "rr", threshold(1, 4), backend("198.18.230.12", 8080, 1));
        Map<ServiceKey, DesiredService> programmed = Map.of(WEB, svc);
        assertEquals(Map.of(), NftOverload.decide(read(svc, null, 2, 1), programmed), "3 of 4");
        assertEquals(Map.of(WEB, Set.of(WEB1)), NftOverload.decide(read(svc, null, 2, 2), programmed), "2 active + 2 inactive");
        assertEquals(Map.of(WEB, Set.of(WEB1)), NftOverload.decide(read(svc, WEB1, 1, 2), programmed),
                "overloaded at 3: stays (3 * 4 >= 4 * 3)");
        assertEquals(Map.of(), NftOverload.decide(read(svc, WEB1, 1, 1), programmed), "released at 2");
        assertEquals(Map.of(WEB, Set.of(WEB1)), NftOverload.read(read(svc, WEB1, 0, 0)));
    }

    @Test
    void aDriftedServiceKeepsItsOverloadUntilTheReconcilerRewroteIt() {
        DesiredService svc = service(WEB, "rr", threshold(1, 4));
        DesiredService drifted = new DesiredService(new io.vipkeeper.appliance.dataplane.ServiceSpec(WEB,
                "rr (drifted: slot map missing)", 0, 0, 0xffffffffL), svc.dests());
        assertEquals(Map.of(WEB, Set.of(WEB1)), NftOverload.decide(read(svc, WEB1, 0, 0), Map.of(WEB, drifted)),
                "not rewritten from a spec it cannot write");
    }

    @Test
    void anOverloadedBackendLeavesTheSlotsButKeepsItsWeight() {
        DesiredService svc = service(WEB, "wrr", threshold(2, 4), backend("198.18.230.12", 8080, 1));
        assertEquals(List.of(WEB1, WEB1, WEB2), NftLayout.slots(svc).stream().map(NftLayout.Slot::backend).toList());
        assertEquals(List.of(WEB2), NftLayout.slots(svc, Set.of(WEB1)).stream().map(NftLayout.Slot::backend).toList());
        String script = NftScript.transaction(Map.of(), Map.of(WEB, svc), List.of(WEB), Map.of(WEB, Set.of(WEB1)));
        assertTrue(script.contains("198.18.230.11 . 8080 : 2, 198.18.230.12 . 8080 : 1"), "weights kept: " + script);
        assertTrue(script.contains("_t { 198.18.230.11 . 8080 : 4 . 0 }"), "its threshold in the table: " + script);
        assertTrue(script.contains("_m { 0 : 198.18.230.12 . 8080 }"), "only web2 has a slot: " + script);
        assertTrue(script.contains("numgen random mod 1 "), script);
    }

    @Test
    void thresholdsAreRefusedWhereNoConntrackCountsTheConnections() {
        BackendSpec dr = new BackendSpec(WEB1, Forwarding.DR, 1, 4, 0);
        assertTrue(NftablesDataPlane.thresholdRefusal(WEB, dr).contains("nat only"));
        assertEquals(null, NftablesDataPlane.thresholdRefusal(WEB, threshold(1, 4)));
        assertTrue(NftablesDataPlane.thresholdRefusal(ServiceKey.ofFwmark(7, false), threshold(1, 4)).contains("address and port"));
    }

    private static BackendSpec threshold(int weight, int upper) {
        return new BackendSpec(WEB1, Forwarding.NAT, weight, upper, 0);
    }

    /** {@code svc} as the engine reads it, web1 with these counts and overloaded when {@code overloaded} is it. */
    private static Map<ServiceKey, ActualService> read(DesiredService svc, BackendKey overloaded, long active, long inactive) {
        Map<BackendKey, ActualBackend> dests = new LinkedHashMap<>();
        svc.dests().forEach((b, d) -> dests.put(b, new ActualBackend(d, b.equals(WEB1) ? active : 0, b.equals(WEB1) ? inactive : 0,
                0, TrafficCounters.ZERO, d.upperThreshold() > 0 ? b.equals(overloaded) : null)));
        return Map.of(WEB, new ActualService(svc.spec(), dests, TrafficCounters.ZERO));
    }
}
