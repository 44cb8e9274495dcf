package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.backend;
import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static io.vipkeeper.appliance.nftables.NftFixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Firewall-mark and SCTP services in the scripts the engine writes. */
class NftFwmarkTest {
    static final ServiceKey MARK7 = ServiceKey.ofFwmark(7, false);

    @Test
    void aMarkServiceIsFoundByItsMarkAndDnatsEveryProtocolWithPortsToItsRealServersPort() {
        DesiredService svc = service(MARK7, "rr", backend("198.18.230.12", 8080, 1), backend("198.18.230.11", 8080, 1));
        String script = NftScript.transaction(Map.of(), Map.of(MARK7, svc), List.of(MARK7));
        assertTrue(script.contains("add rule inet vipkeeper_lb prerouting fib daddr type local meta nfproto ipv4 meta mark vmap @marks4\n"),
                script);
        assertTrue(script.contains("flush map inet vipkeeper_lb marks4\nadd element inet vipkeeper_lb marks4 { 7 : goto svc_fwm4_7 }\n"),
                script);
        assertTrue(script.contains("add map inet vipkeeper_lb svc_fwm4_7_m { typeof numgen inc mod 1 : ip daddr . th dport; }"),
                script);
        assertTrue(script.contains("add element inet vipkeeper_lb svc_fwm4_7_m { 0 : 198.18.230.11 . 8080, 1 : 198.18.230.12 . 8080 }"),
                script);
        assertTrue(script.contains("add rule inet vipkeeper_lb svc_fwm4_7 meta l4proto { tcp, udp, sctp } counter name \"svc_fwm4_7_c\" dnat ip to numgen inc"
                + " mod 2 map @svc_fwm4_7_m comment"), script);
        assertFalse(script.contains("add element inet vipkeeper_lb services4"), "no address entry: " + script);
        assertFalse(script.contains("add element inet vipkeeper_lb balanced4"), "no VIP to key counters by: " + script);
        for (String unused : List.of("_ma", "_s", "_sa")) {
            assertTrue(script.contains("delete map inet vipkeeper_lb svc_fwm4_7" + unused + "\n"), unused + ": " + script);
        }
    }

    @Test
    void realServersWithoutAPortKeepThePacketsPortThroughAnAddressOnlySlotMap() {
        DesiredService svc = service(MARK7, "wrr", backend("198.18.230.11", 0, 2), backend("198.18.230.12", 0, 1));
        String script = NftScript.transaction(Map.of(), Map.of(MARK7, svc), List.of(MARK7));
        assertTrue(script.contains("add map inet vipkeeper_lb svc_fwm4_7_ma { typeof numgen inc mod 1 : ip daddr; }"), script);
        assertTrue(script.contains("add element inet vipkeeper_lb svc_fwm4_7_ma { 0 : 198.18.230.11, 1 : 198.18.230.11, 2 : 198.18.230.12 }"), script);
        assertTrue(script.contains("dnat ip to numgen random mod 3 map @svc_fwm4_7_ma comment"), script);
        assertTrue(script.contains("delete map inet vipkeeper_lb svc_fwm4_7_m\n"), script);
        assertTrue(script.contains("delete map inet vipkeeper_lb svc_fwm4_7_sa\n"), script);
        // From ported to portless is a map swap, never a difference against the other map's slots.
        DesiredService ported = service(MARK7, "mh", backend("198.18.230.11", 80, 1));
        DesiredService portless = service(MARK7, "mh", backend("198.18.230.11", 0, 1));
        String swap = NftScript.transaction(Map.of(MARK7, ported), Map.of(MARK7, portless), List.of(MARK7));
        assertTrue(swap.contains("flush map inet vipkeeper_lb svc_fwm4_7_ma\n"), swap);
        assertTrue(swap.contains("delete map inet vipkeeper_lb svc_fwm4_7_m\n"), swap);
    }

    @Test
    void aRealServerWhosePortDiffersInKindFromTheOthersIsRefused() {
        DesiredService svc = service(MARK7, "rr", backend("198.18.230.11", 0, 1));
        assertEquals("nftables needs all or none of a firewall-mark or multiport service's real servers to have a port",
                NftFwmark.mixedPorts(svc, backend("198.18.230.12", 80, 1)));
        assertNull(NftFwmark.mixedPorts(svc, backend("198.18.230.12", 0, 1)));
        assertNull(NftFwmark.mixedPorts(svc, backend("198.18.230.11", 0, 5)), "a weight change of the one backend is no mix");
        DesiredService address = service(NftFixtures.tcp("198.18.230.100", 80), "rr", backend("198.18.230.11", 0, 1));
        assertNull(NftFwmark.mixedPorts(address, backend("198.18.230.12", 80, 1)));
    }

    @Test
    void anIpv6MarkServiceHasItsOwnChainAndMap() {
        ServiceKey mark6 = ServiceKey.ofFwmark(7, true);
        DesiredService svc = service(mark6, "sh", backend("2001:db8:230::11", 0, 1));
        String script = NftScript.transaction(Map.of(), Map.of(mark6, svc), List.of(mark6));
        assertTrue(script.contains("add element inet vipkeeper_lb marks6 { 7 : goto svc_fwm6_7 }"), script);
        assertTrue(script.contains("counter name \"svc_fwm6_7_c\" dnat ip6 to jhash ip6 saddr mod 1 seed " + NftLayout.hex(NftLayout.seed(mark6))
                + " map @svc_fwm6_7_ma"), script);
        assertFalse(script.contains("add element inet vipkeeper_lb marks4"), script);
    }

    @Test
    void sctpIsBalancedAsTcpAndUdpAre() {
        ServiceKey sctp = ServiceKey.of(TransportProtocol.SCTP, ip("198.18.230.100"), 9);
        DesiredService svc = service(sctp, "rr", backend("198.18.230.11", 9, 1));
        String script = NftScript.transaction(Map.of(), Map.of(sctp, svc), List.of(sctp));
        assertTrue(script.contains("add element inet vipkeeper_lb services4 { 198.18.230.100 . sctp . 9 : goto svc_sctp_c612e664_9 }"), script);
        assertTrue(script.contains("add rule inet vipkeeper_lb svc_sctp_c612e664_9 meta l4proto sctp counter name \"svc_sctp_c612e664_9_c\" dnat ip to numgen inc mod 1"),
                script);
        assertTrue(script.contains("add element inet vipkeeper_lb balanced4 { 198.18.230.100 . sctp }"), script);
        assertTrue(NftablesDataPlane.CAPABILITIES.protocols().contains(TransportProtocol.SCTP));
        assertTrue(NftablesDataPlane.CAPABILITIES.fwmark());
    }
}
