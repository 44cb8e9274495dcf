package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.backend;
import static io.vipkeeper.appliance.nftables.NftFixtures.service;
import static io.vipkeeper.appliance.nftables.NftFixtures.tcp;
import static io.vipkeeper.appliance.nftables.NftFixtures.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The nft scripts the engine runs, for fixed tables: exact text. */
class NftScriptTest {
    static final String SKELETON = """
            add table inet vipkeeper_lb
            add map inet vipkeeper_lb services4 { typeof ip daddr . meta l4proto . tcp dport : verdict; }
            add map inet vipkeeper_lb marks4 { typeof meta mark : verdict; }
            add map inet vipkeeper_lb ports4 { typeof ip daddr . meta l4proto . tcp dport : verdict; flags interval; }
            add set inet vipkeeper_lb balanced4 { type ipv4_addr . inet_proto; }
            add set inet vipkeeper_lb count_new4 { type ipv4_addr . inet_proto . ipv4_addr . inet_service; size 1048576; flags dynamic; counter; }
            add set inet vipkeeper_lb count_in4 { type ipv4_addr . inet_proto . ipv4_addr . inet_service; size 1048576; flags dynamic; counter; }
            add set inet vipkeeper_lb count_out4 { type ipv4_addr . inet_proto . ipv4_addr . inet_service; size 1048576; flags dynamic; counter; }
            add map inet vipkeeper_lb services6 { typeof ip6 daddr . meta l4proto . tcp dport : verdict; }
            add map inet vipkeeper_lb marks6 { typeof meta mark : verdict; }
            add map inet vipkeeper_lb ports6 { typeof ip6 daddr . meta l4proto . tcp dport : verdict; flags interval; }
            add set inet vipkeeper_lb balanced6 { type ipv6_addr . inet_proto; }
            add set inet vipkeeper_lb count_new6 { type ipv6_addr . inet_proto . ipv6_addr . inet_service; size 1048576; flags dynamic; counter; }
            add set inet vipkeeper_lb count_in6 { type ipv6_addr . inet_proto . ipv6_addr . inet_service; size 1048576; flags dynamic; counter; }
            add set inet vipkeeper_lb count_out6 { type ipv6_addr . inet_proto . ipv6_addr . inet_service; size 1048576; flags dynamic; counter; }
            add chain inet vipkeeper_lb prerouting { type nat hook prerouting priority dstnat; policy accept; }
            add chain inet vipkeeper_lb forward { type filter hook forward priority filter; policy accept; }
            flush chain inet vipkeeper_lb prerouting
            flush chain inet vipkeeper_lb forward
            add set inet vipkeeper_lb backend_new4 { type ipv4_addr . inet_proto . ipv4_addr . inet_service; counter; }
            delete set inet vipkeeper_lb backend_new4
            add set inet vipkeeper_lb backend_in4 { type ipv4_addr . inet_proto . ipv4_addr . inet_service; counter; }
            delete set inet vipkeeper_lb backend_in4
            add set inet vipkeeper_lb backend_out4 { type ipv4_addr . inet_proto . ipv4_addr . inet_service; counter; }
            delete set inet vipkeeper_lb backend_out4
            add set inet vipkeeper_lb backend_new6 { type ipv6_addr . inet_proto . ipv6_addr . inet_service; counter; }
            delete set inet vipkeeper_lb backend_new6
            add set inet vipkeeper_lb backend_in6 { type ipv6_addr . inet_proto . ipv6_addr . inet_service; counter; }
            delete set inet vipkeeper_lb backend_in6
            add set inet vipkeeper_lb backend_out6 { type ipv6_addr . inet_proto . ipv6_addr . inet_service; counter; }
            delete set inet vipkeeper_lb backend_out6
            add rule inet vipkeeper_lb prerouting fib daddr type local meta nfproto ipv4 meta mark vmap @marks4
            add rule inet vipkeeper_lb prerouting fib daddr type local ip daddr . meta l4proto . th dport vmap @services4
            add rule inet vipkeeper_lb prerouting fib daddr type local ip daddr . meta l4proto . th dport vmap @ports4
            add rule inet vipkeeper_lb forward ct status dnat ct state new ct original ip daddr . meta l4proto @balanced4 update @count_new4 { ct original ip daddr . meta l4proto . ip daddr . th dport }
            add rule inet vipkeeper_lb forward ct status dnat ct direction original ct original ip daddr . meta l4proto @balanced4 update @count_in4 { ct original ip daddr . meta l4proto . ip daddr . th dport }
            add rule inet vipkeeper_lb forward ct status dnat ct direction reply ct original ip daddr . meta l4proto @balanced4 update @count_out4 { ct original ip daddr . meta l4proto . ip saddr . th sport }
            add rule inet vipkeeper_lb prerouting fib daddr type local meta nfproto ipv6 meta mark vmap @marks6
            add rule inet vipkeeper_lb prerouting fib daddr type local ip6 daddr . meta l4proto . th dport vmap @services6
            add rule inet vipkeeper_lb prerouting fib daddr type local ip6 daddr . meta l4proto . th dport vmap @ports6
            add rule inet vipkeeper_lb forward ct status dnat ct state new ct original ip6 daddr . meta l4proto @balanced6 update @count_new6 { ct original ip6 daddr . meta l4proto . ip6 daddr . th dport }
            add rule inet vipkeeper_lb forward ct status dnat ct direction original ct original ip6 daddr . meta l4proto @balanced6 update @count_in6 { ct original ip6 daddr . meta l4proto . ip6 daddr . th dport }
            add rule inet vipkeeper_lb forward ct status dnat ct direction reply ct original ip6 daddr . meta l4proto @balanced6 update @count_out6 { ct original ip6 daddr . meta l4proto . ip6 saddr . th sport }
            """;
    static final ServiceKey WEB = tcp("198.18.230.100", 80);
    static final DesiredService WEB_WRR = service(WEB, "wrr", backend("198.18.230.12", 8080, 2),
            backend("198.18.230.11", 8080, 1), backend("198.18.230.13", 8080, 0));
    static final ServiceKey DNS6 = udp("2001:db8:230::100", 53);
    static final DesiredService DNS6_SH = service(DNS6, "sh", backend("2001:db8:230::11", 5353, 1),
            backend("2001:db8:230::12", 5353, 1));

    @Test
    void aNewServiceGetsItsChainMapsAndVerdictEntryWithSlotsInAddressOrder() {
        assertEquals(SKELETON + """
                add chain inet vipkeeper_lb svc_tcp_c612e664_80
                flush map inet vipkeeper_lb services4
                add element inet vipkeeper_lb services4 { 198.18.230.100 . tcp . 80 : goto svc_tcp_c612e664_80 }
                flush set inet vipkeeper_lb balanced4
                add element inet vipkeeper_lb balanced4 { 198.18.230.100 . tcp }
                flush map inet vipkeeper_lb marks4
                flush map inet vipkeeper_lb ports4
                flush map inet vipkeeper_lb services6
                flush set inet vipkeeper_lb balanced6
                flush map inet vipkeeper_lb marks6
                flush map inet vipkeeper_lb ports6
                flush chain inet vipkeeper_lb svc_tcp_c612e664_80
                add map inet vipkeeper_lb svc_tcp_c612e664_80_w { typeof ip daddr . tcp dport : meta mark; }
                add map inet vipkeeper_lb svc_tcp_c612e664_80_m { typeof numgen inc mod 1 : ip daddr . tcp dport; }
                add map inet vipkeeper_lb svc_tcp_c612e664_80_s { typeof numgen inc mod 1 : ip daddr . tcp dport; flags interval; }
                flush map inet vipkeeper_lb svc_tcp_c612e664_80_w
                flush map inet vipkeeper_lb svc_tcp_c612e664_80_m
                add element inet vipkeeper_lb svc_tcp_c612e664_80_w { 198.18.230.11 . 8080 : 1, 198.18.230.12 . 8080 : 2, 198.18.230.13 . 8080 : 0 }
                add element inet vipkeeper_lb svc_tcp_c612e664_80_m { 0 : 198.18.230.11 . 8080, 1 : 198.18.230.12 . 8080, 2 : 198.18.230.12 . 8080 }
                add counter inet vipkeeper_lb svc_tcp_c612e664_80_c
                add rule inet vipkeeper_lb svc_tcp_c612e664_80 meta l4proto tcp counter name "svc_tcp_c612e664_80_c" dnat ip to numgen random mod 3 map @svc_tcp_c612e664_80_m comment "vipkeeper sched=wrr flags=0 timeout=0 netmask=4294967295"
                delete map inet vipkeeper_lb svc_tcp_c612e664_80_s
                """, NftScript.transaction(Map.of(), Map.of(WEB, WEB_WRR), List.of(WEB)));
    }

    @Test
    void sourceHashOnIpv6HashesTheSourceWithTheServicesSeed() {
        String script = NftScript.transaction(Map.of(), Map.of(DNS6, DNS6_SH), List.of(DNS6));
        String chain = "svc_udp_20010db8023000000000000000000100_53";
        assertTrue(script.contains("add rule inet vipkeeper_lb " + chain + " meta l4proto udp counter name \"" + chain + "_c\" dnat ip6 to jhash ip6 saddr mod 2 seed "
                + NftLayout.hex(NftLayout.seed(DNS6)) + " map @" + chain + "_m comment"), script);
        assertTrue(script.contains("add element inet vipkeeper_lb " + chain + "_m { 0 : 2001:db8:230::11 . 5353, 1 : 2001:db8:230::12 . 5353 }"), script);
        assertTrue(script.contains("add element inet vipkeeper_lb services6 { 2001:db8:230::100 . udp . 53 : goto " + chain + " }"), script);
        assertEquals(0x76950b02L, NftLayout.seed(WEB), "CRC32 of the chain name: the same on every director");
    }

    @Test
    void nothingIsMasqueraded() {
        // SNAT is a per-service choice (snat = true), written by pool/SnatRules in its own table.
        String script = NftScript.transaction(Map.of(), Map.of(WEB, WEB_WRR, DNS6, DNS6_SH), List.of(WEB, DNS6));
        assertFalse(script.contains("masquerade"), script);
        assertFalse(script.contains("postrouting"), script);
    }

    @Test
    void maglevHashesTheSourceOverTheWholeTableInAPlainMap() {
        DesiredService mh = service(WEB, "mh", backend("198.18.230.12", 8080, 1), backend("198.18.230.11", 8080, 1),
                backend("198.18.230.13", 8080, 0));
        String script = NftScript.transaction(Map.of(), Map.of(WEB, mh), List.of(WEB));
        assertTrue(script.contains("counter name \"svc_tcp_c612e664_80_c\" dnat ip to jhash ip saddr mod " + MaglevTable.SIZE + " seed 0x76950b02 map @svc_tcp_c612e664_80_m"),
                script);
        assertTrue(script.contains("add map inet vipkeeper_lb svc_tcp_c612e664_80_m { typeof numgen inc mod 1 : ip daddr . tcp dport; }"),
                "no interval flag: " + script);
        assertTrue(script.contains("delete map inet vipkeeper_lb svc_tcp_c612e664_80_s\n"), "an earlier version's interval map goes");
        BackendKey[] table = MaglevTable.build(mh.dests().values());
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < table.length; i++) {
            want.append(i == 0 ? "" : ", ").append(i).append(" : ").append(table[i].address().getHostAddress()).append(" . 8080");
        }
        assertEquals("add element inet vipkeeper_lb svc_tcp_c612e664_80_m { " + want + " }",
                script.lines().filter(l -> l.startsWith("add element inet vipkeeper_lb svc_tcp_c612e664_80_m ")).findFirst().orElseThrow());
        assertEquals(MaglevTable.SIZE, table.length);
    }

    @Test
    void thePortFlagsHashTheSourcePortToo() {
        for (String scheduler : List.of("sh", "mh")) {
            DesiredService svc = new DesiredService(new ServiceSpec(WEB, scheduler, 0x10, 0, 0xffffffffL),
                    service(WEB, scheduler, backend("198.18.230.12", 8080, 1)).dests());
            String script = NftScript.transaction(Map.of(), Map.of(WEB, svc), List.of(WEB));
            assertTrue(script.contains("dnat ip to jhash ip saddr . th sport mod "), script);
            assertTrue(script.contains("comment \"vipkeeper sched=" + scheduler + " flags=16 "), script);
        }
    }

    @Test
    void aWeightChangeRewritesThatServiceOnly() {
        DesiredService heavier = service(WEB, "wrr", backend("198.18.230.12", 8080, 5), backend("198.18.230.11", 8080, 1),
                backend("198.18.230.13", 8080, 0));
        String script = NftScript.transaction(Map.of(WEB, WEB_WRR, DNS6, DNS6_SH), Map.of(WEB, heavier, DNS6, DNS6_SH), List.of(WEB));
        // The other service keeps its chain and maps; only its verdict map entry is written again.
        assertFalse(script.contains("flush chain inet vipkeeper_lb svc_udp") || script.contains("add rule inet vipkeeper_lb svc_udp")
                || script.contains("map inet vipkeeper_lb svc_udp"), script);
        // By difference in the plain map: slot 0 stays, 1 and 2 stay .12's, 3 to 5 are new.
        assertFalse(script.contains("flush map inet vipkeeper_lb svc_tcp_c612e664_80_m"), script);
        assertFalse(script.contains("delete element inet vipkeeper_lb svc_tcp_c612e664_80_m"), script);
        assertTrue(script.contains("add element inet vipkeeper_lb svc_tcp_c612e664_80_m { 3 : 198.18.230.12 . 8080, 4 : 198.18.230.12 . 8080, "
                + "5 : 198.18.230.12 . 8080 }"), script);
        assertTrue(script.contains("numgen random mod 6 map"), script);
        assertTrue(script.contains("delete map inet vipkeeper_lb svc_tcp_c612e664_80_s\n"), "no interval map is left: " + script);
    }

    @Test
    void aMaglevChangeWritesOnlyTheSlotsThatMovedUnlessTheServiceDrifted() {
        BackendSpec[] ten = new BackendSpec[10];
        for (int i = 0; i < ten.length; i++) {
            ten[i] = backend("198.18.230." + (11 + i), 8080, 1);
        }
        DesiredService before = service(WEB, "mh", ten);
        DesiredService after = service(WEB, "mh", java.util.Arrays.copyOf(ten, 9));
        String script = NftScript.transaction(Map.of(WEB, before), Map.of(WEB, after), List.of(WEB));
        assertFalse(script.contains("flush map inet vipkeeper_lb svc_tcp_c612e664_80_m"), "no refill of all the slots");
        Set<NftLayout.Slot> had = new HashSet<>(NftLayout.slots(before));
        Set<NftLayout.Slot> want = new HashSet<>(NftLayout.slots(after));
        String deleted = line(script, "delete element inet vipkeeper_lb svc_tcp_c612e664_80_m { ");
        String added = line(script, "add element inet vipkeeper_lb svc_tcp_c612e664_80_m { ");
        assertEquals(had.stream().filter(x -> !want.contains(x)).count(), deleted.split(", ").length);
        assertEquals(want.stream().filter(x -> !had.contains(x)).count(), added.split(", ").length);
        assertTrue(added.split(", ").length < MaglevTable.SIZE / 5, "about a tenth of the slots move: " + added.split(", ").length);
        DesiredService drifted = new DesiredService(new ServiceSpec(WEB, "mh (drifted: slot map missing)", 0, 0, 0xffffffffL),
                before.dests());
        String repair = NftScript.transaction(Map.of(WEB, drifted), Map.of(WEB, after), List.of(WEB));
        assertTrue(repair.contains("flush map inet vipkeeper_lb svc_tcp_c612e664_80_m\n"), "a drifted service is refilled whole");
        assertEquals(want.size(), line(repair, "add element inet vipkeeper_lb svc_tcp_c612e664_80_m { ").split(", ").length);
    }

    /** The elements of the script's line starting with {@code prefix}. */
    private static String line(String script, String prefix) {
        return script.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix + " in " + script))
                .substring(prefix.length()).replace(" }", "");
    }

    @Test
    void aRewriteLeavesTheCounterElementsOfStayingBackendsAloneAndDeletesTheLeavingOnes() {
        DesiredService without13 = service(WEB, "wrr", backend("198.18.230.12", 8080, 5), backend("198.18.230.11", 8080, 1));
        String script = NftScript.transaction(Map.of(WEB, WEB_WRR), Map.of(WEB, without13), List.of(WEB));
        for (String set : List.of("count_new4", "count_in4", "count_out4")) {
            assertEquals(List.of("add element inet vipkeeper_lb " + set + " { 198.18.230.100 . tcp . 198.18.230.13 . 8080 }",
                    "delete element inet vipkeeper_lb " + set + " { 198.18.230.100 . tcp . 198.18.230.13 . 8080 }"),
                    script.lines().filter(l -> l.contains(" element inet vipkeeper_lb " + set + " ")).toList(),
                    "the leaving backend's element only (added first, as the data path may have made none): " + script);
            assertFalse(script.contains("flush set inet vipkeeper_lb " + set), "a flush would zero the staying backends' counts");
        }
    }

    @Test
    void noCounterElementIsWrittenUpFrontTheDataPathMakesThem() {
        ServiceKey other = tcp("198.18.230.101", 80);
        DesiredService second = service(other, "rr", backend("198.18.230.21", 8080, 1));
        String script = NftScript.transaction(Map.of(), Map.of(WEB, WEB_WRR, other, second), List.of(WEB, other));
        assertFalse(script.contains("element inet vipkeeper_lb count_"), script);
        assertEquals(List.of("add element inet vipkeeper_lb balanced4 { 198.18.230.100 . tcp, 198.18.230.101 . tcp }"),
                script.lines().filter(l -> l.startsWith("add element inet vipkeeper_lb balanced4 ")).toList(),
                "each service's VIP and protocol, whose DNATed connections make counter elements");
    }

    @Test
    void aBackendLeavingOneServiceKeepsTheCounterElementAnotherPortOfTheVipStillNames() {
        // Counter elements are keyed VIP . protocol . backend, not by the service's port: web:443 shares web:80's.
        ServiceKey tls = tcp("198.18.230.100", 443);
        DesiredService tlsBefore = service(tls, "rr", backend("198.18.230.11", 8080, 1), backend("198.18.230.14", 8080, 1));
        DesiredService tlsAfter = service(tls, "rr", backend("198.18.230.14", 8080, 1));
        String script = NftScript.transaction(Map.of(WEB, WEB_WRR, tls, tlsBefore), Map.of(WEB, WEB_WRR, tls, tlsAfter), List.of(tls));
        assertFalse(script.contains("delete element inet vipkeeper_lb count_"), "198.18.230.11:8080 is still web:80's: " + script);
        DesiredService webWithout11 = service(WEB, "wrr", backend("198.18.230.12", 8080, 5), backend("198.18.230.13", 8080, 0));
        String both = NftScript.transaction(Map.of(WEB, WEB_WRR, tls, tlsBefore), Map.of(WEB, webWithout11, tls, tlsAfter),
                List.of(WEB, tls));
        assertTrue(both.contains("delete element inet vipkeeper_lb count_in4 { 198.18.230.100 . tcp . 198.18.230.11 . 8080 }\n"),
                "named by neither now: " + both);
    }

    @Test
    void aServiceWithoutLiveBackendsOnlyCounts() {
        DesiredService idle = service(WEB, "rr", backend("198.18.230.11", 8080, 0));
        String script = NftScript.transaction(Map.of(), Map.of(WEB, idle), List.of(WEB));
        assertTrue(script.contains("add rule inet vipkeeper_lb svc_tcp_c612e664_80 meta l4proto tcp counter name \"svc_tcp_c612e664_80_c\" comment \"vipkeeper sched=rr"), script);
        assertFalse(script.contains("add element inet vipkeeper_lb svc_tcp_c612e664_80_m"), script);
    }

    @Test
    void aDeletedServiceIsRemovedWithItsChainMapsAndVerdictEntryOnly() {
        ServiceKey other = tcp("198.18.230.101", 80);
        DesiredService sharing = service(other, "rr", backend("198.18.230.11", 8080, 1));
        String script = NftScript.transaction(Map.of(WEB, WEB_WRR, other, sharing), Map.of(other, sharing), List.of(WEB));
        assertEquals(SKELETON + """
                add chain inet vipkeeper_lb svc_tcp_c612e665_80
                flush map inet vipkeeper_lb services4
                add element inet vipkeeper_lb services4 { 198.18.230.101 . tcp . 80 : goto svc_tcp_c612e665_80 }
                flush set inet vipkeeper_lb balanced4
                add element inet vipkeeper_lb balanced4 { 198.18.230.101 . tcp }
                flush map inet vipkeeper_lb marks4
                flush map inet vipkeeper_lb ports4
                flush map inet vipkeeper_lb services6
                flush set inet vipkeeper_lb balanced6
                flush map inet vipkeeper_lb marks6
                flush map inet vipkeeper_lb ports6
                add chain inet vipkeeper_lb svc_tcp_c612e664_80
                flush chain inet vipkeeper_lb svc_tcp_c612e664_80
                delete chain inet vipkeeper_lb svc_tcp_c612e664_80
                add counter inet vipkeeper_lb svc_tcp_c612e664_80_c
                delete counter inet vipkeeper_lb svc_tcp_c612e664_80_c
                add map inet vipkeeper_lb svc_tcp_c612e664_80_w { typeof ip daddr . tcp dport : meta mark; }
                add map inet vipkeeper_lb svc_tcp_c612e664_80_m { typeof numgen inc mod 1 : ip daddr . tcp dport; }
                add map inet vipkeeper_lb svc_tcp_c612e664_80_s { typeof numgen inc mod 1 : ip daddr . tcp dport; flags interval; }
                delete map inet vipkeeper_lb svc_tcp_c612e664_80_w
                delete map inet vipkeeper_lb svc_tcp_c612e664_80_m
                delete map inet vipkeeper_lb svc_tcp_c612e664_80_s
                add element inet vipkeeper_lb count_new4 { 198.18.230.100 . tcp . 198.18.230.11 . 8080, 198.18.230.100 . tcp . 198.18.230.12 . 8080, 198.18.230.100 . tcp . 198.18.230.13 . 8080 }
                delete element inet vipkeeper_lb count_new4 { 198.18.230.100 . tcp . 198.18.230.11 . 8080, 198.18.230.100 . tcp . 198.18.230.12 . 8080, 198.18.230.100 . tcp . 198.18.230.13 . 8080 }
                add element inet vipkeeper_lb count_in4 { 198.18.230.100 . tcp . 198.18.230.11 . 8080, 198.18.230.100 . tcp . 198.18.230.12 . 8080, 198.18.230.100 . tcp . 198.18.230.13 . 8080 }
                delete element inet vipkeeper_lb count_in4 { 198.18.230.100 . tcp . 198.18.230.11 . 8080, 198.18.230.100 . tcp . 198.18.230.12 . 8080, 198.18.230.100 . tcp . 198.18.230.13 . 8080 }
                add element inet vipkeeper_lb count_out4 { 198.18.230.100 . tcp . 198.18.230.11 . 8080, 198.18.230.100 . tcp . 198.18.230.12 . 8080, 198.18.230.100 . tcp . 198.18.230.13 . 8080 }
                delete element inet vipkeeper_lb count_out4 { 198.18.230.100 . tcp . 198.18.230.11 . 8080, 198.18.230.100 . tcp . 198.18.230.12 . 8080, 198.18.230.100 . tcp . 198.18.230.13 . 8080 }
                """, script);
    }

    @Test
    void symhashHashesTheFlowSymmetricallyOverWeightedSlotsWithoutASeed() {
        DesiredService sym = service(WEB, "symhash", backend("198.18.230.12", 8080, 2), backend("198.18.230.11", 8080, 1),
                backend("198.18.230.13", 8080, 0));
        String script = NftScript.transaction(Map.of(), Map.of(WEB, sym), List.of(WEB));
        assertTrue(script.contains("add rule inet vipkeeper_lb svc_tcp_c612e664_80 meta l4proto tcp counter name"
                + " \"svc_tcp_c612e664_80_c\" dnat ip to symhash mod 3 map @svc_tcp_c612e664_80_m"
                + " comment \"vipkeeper sched=symhash flags=0 timeout=0 netmask=4294967295\"\n"), script);
        assertEquals("add element inet vipkeeper_lb svc_tcp_c612e664_80_m { 0 : 198.18.230.11 . 8080, 1 : 198.18.230.12 . 8080,"
                + " 2 : 198.18.230.12 . 8080 }",
                script.lines().filter(l -> l.startsWith("add element inet vipkeeper_lb svc_tcp_c612e664_80_m ")).findFirst().orElseThrow(),
                "weights through slots, as sh");
    }
}
