package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static io.vipkeeper.appliance.nftables.NftFixtures.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dr table's script: what each service's rule and MAC map say, and who is left out. */
class NftDsrTest {
    private static final ServiceKey WEB = tcp("198.18.240.100", 80);
    private static final String LB = "02:00:00:00:00:0a";
    private static final Map<String, DsrHop> HOPS = Map.of(
            "198.18.240.11", new DsrHop("eth0", LB, "02:00:00:00:00:0b"),
            "198.18.240.12", new DsrHop("eth0", LB, "02:00:00:00:00:0c"),
            "198.18.9.5", new DsrHop("eth1", "02:00:00:00:01:0a", "02:00:00:00:01:05"),
            "2001:db8:176:0:0:0:0:11", new DsrHop("eth0", LB, "02:00:00:00:00:1b"),
            "2001:db8:176:0:0:0:0:12", new DsrHop("eth0", LB, "02:00:00:00:00:1c"));

    private static String script(DesiredService... services) {
        return NftDsr.script(List.of(services), b -> HOPS.get(b.address().getHostAddress()));
    }

    private static DesiredService dr(ServiceKey key, String scheduler, int flags, Object... addressWeight) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (int i = 0; i < addressWeight.length; i += 2) {
            BackendKey b = new BackendKey(ip((String) addressWeight[i]), key.port());
            dests.put(b, new BackendSpec(b, Forwarding.DR, (Integer) addressWeight[i + 1], 0, 0));
        }
        return new DesiredService(new ServiceSpec(key, scheduler, flags, 0, 0xffffffffL), dests);
    }

    @Test
    void anShServiceHashesTheClientOverWeightedSlotsOfBackendMacsAndForwardsOnTheirInterface() {
        String seed = NftLayout.hex(NftLayout.seed(WEB));
        assertEquals(String.join("\n",
                "add table netdev vipkeeper_dsr",
                "delete table netdev vipkeeper_dsr",
                "add table netdev vipkeeper_dsr",
                "add map netdev vipkeeper_dsr svc_tcp_c612f064_80_d { typeof numgen inc mod 1 : ether daddr; }",
                "add element netdev vipkeeper_dsr svc_tcp_c612f064_80_d { 0 : 02:00:00:00:00:0b, 1 : 02:00:00:00:00:0c, 2 : 02:00:00:00:00:0c }",
                "add chain netdev vipkeeper_dsr in_eth0 { type filter hook ingress device \"eth0\" priority 0; policy accept; }",
                "add rule netdev vipkeeper_dsr in_eth0 ip daddr 198.18.240.100 meta l4proto tcp th dport 80 fib daddr type local"
                        + " ether saddr set " + LB + " ether daddr set jhash ip saddr . th sport mod 3 seed " + seed
                        + " map @svc_tcp_c612f064_80_d fwd to \"eth0\" comment \"vipkeeper svc_tcp_c612f064_80\"", ""),
                script(dr(WEB, "sh", SchedulerFlag.SH_PORT.bit(), "198.18.240.12", 2, "198.18.240.11", 1)));
    }

    @Test
    void anIpv6ServiceMatchesIp6AndHashesTheClientsIpv6Address() {
        ServiceKey web6 = tcp("2001:db8:176::100", 80);
        String seed = NftLayout.hex(NftLayout.seed(web6));
        String s = script(dr(web6, "mh", 0, "2001:db8:176::11", 1, "2001:db8:176::12", 1));
        String chain = NftLayout.chain(web6);
        assertTrue(s.contains("add rule netdev vipkeeper_dsr in_eth0 ip6 daddr 2001:db8:176::100 meta l4proto tcp th dport 80"
                + " fib daddr type local ether saddr set " + LB + " ether daddr set jhash ip6 saddr mod "
                + NftLayout.selector(dr(web6, "mh", 0, "2001:db8:176::11", 1, "2001:db8:176::12", 1)).mod() + " seed " + seed
                + " map @" + chain + "_d fwd to \"eth0\""), s);
        assertTrue(s.contains(":1b") && s.contains(":1c"), s);
        assertTrue(!s.contains(" ip daddr") && !s.contains("ip saddr"), s);
        assertNull(NftDsr.refusal(dr(web6, "mh", 0, "2001:db8:176::11", 1)), "IPv6 dr is not refused");
    }

    /**
     * A fresh engine reads services back in the kernel's order, not the config's: the script, and
     * so the stamp it is compared by, must not depend on it.
     */
    @Test
    void servicesWriteTheSameScriptInAnyOrder() {
        DesiredService web = dr(WEB, "sh", 0, "198.18.240.11", 1, "198.18.240.12", 1);
        DesiredService alt = dr(tcp("198.18.240.100", 8080), "mh", 0, "198.18.240.12", 1, "198.18.240.11", 1);
        assertEquals(script(web, alt), script(alt, web));
        assertEquals(NftDsr.stamp(script(web, alt)), NftDsr.stamp(script(alt, web)));
    }

    /** Nor on its backends' order: one added back comes last in the engine's table, not in the one read back. */
    @Test
    void backendsWriteTheSameScriptInAnyOrder() {
        assertEquals(script(dr(WEB, "mh", 0, "198.18.240.11", 1, "198.18.240.12", 1, "198.18.9.5", 1)),
                script(dr(WEB, "mh", 0, "198.18.9.5", 1, "198.18.240.12", 1, "198.18.240.11", 1)));
    }

    @Test
    void backendsWithoutAMacOfWeightZeroOrOnAnotherInterfaceGetNoSlot() {
        String s = script(dr(WEB, "sh", 0, "198.18.240.11", 1, "198.18.240.12", 0, "198.18.240.13", 1, "198.18.9.5", 1));
        assertTrue(s.contains("{ 0 : 02:00:00:00:00:0b }\n"), s);
        assertTrue(s.contains("jhash ip saddr mod 1 seed"), s);
        assertTrue(!s.contains("eth1"), s);
    }

    @Test
    void aServiceWithNoUsableBackendHasItsMapButNoRule() {
        String s = script(dr(WEB, "mh", 0, "198.18.240.13", 1));
        assertTrue(s.endsWith("add map netdev vipkeeper_dsr svc_tcp_c612f064_80_d { typeof numgen inc mod 1 : ether daddr; }\n"),
                s);
    }

    @Test
    void mhFillsTheMaglevTableWithMacs() {
        String s = script(dr(WEB, "mh", 0, "198.18.240.11", 1, "198.18.240.12", 1));
        assertTrue(s.contains("jhash ip saddr mod " + MaglevTable.SIZE + " seed"), s);
        assertTrue(s.contains(" 8190 : 02:00:00:00:00:0"), s);
    }

    @Test
    void noDrServiceLeavesNoTable() {
        assertEquals("add table netdev vipkeeper_dsr\ndelete table netdev vipkeeper_dsr\n", script());
    }

    @Test
    void onlyHashSchedulersAndOneForwardingAreAccepted() {
        assertNull(NftDsr.refusal(dr(WEB, "mh", 0, "198.18.240.11", 1)));
        assertTrue(NftDsr.refusal(dr(WEB, "rr", 0, "198.18.240.11", 1)).contains("no connection tracking"));
        assertTrue(NftDsr.refusal(dr(WEB, "wrr", 0, "198.18.240.11", 1)).contains("(sh, mh)"));
        assertNull(NftDsr.refusal(dr(tcp("2001:db8::1", 80), "sh", 0, "2001:db8::2", 1)), "IPv6 as IPv4");
        assertTrue(NftDsr.refusal(dr(tcp("2001:db8::1", 80), "rr", 0, "2001:db8::2", 1)).contains("no connection tracking"));
        // As with IPVS, the real server's own port is not used: the frame keeps the service's.
        BackendKey other = new BackendKey(ip("198.18.240.11"), 8080);
        assertNull(NftDsr.refusal(new DesiredService(new ServiceSpec(WEB, "sh", 0, 0, 0xffffffffL),
                Map.of(other, new BackendSpec(other, Forwarding.DR, 1, 0, 0)))));
        BackendKey drKey = new BackendKey(ip("198.18.240.11"), 80);
        BackendKey natKey = new BackendKey(ip("198.18.240.12"), 80);
        assertTrue(NftDsr.refusal(new DesiredService(new ServiceSpec(WEB, "sh", 0, 0, 0xffffffffL),
                Map.of(drKey, new BackendSpec(drKey, Forwarding.DR, 1, 0, 0), natKey,
                        new BackendSpec(natKey, Forwarding.NAT, 1, 0, 0)))).contains("alike"));
        assertNull(NftDsr.refusal(NftFixtures.service(WEB, "rr", NftFixtures.backend("198.18.240.11", 80, 1))));
    }

    @Test
    void chainNamesKeepWhatNftAccepts() {
        assertEquals("in_eth0_100", NftDsr.chain("eth0.100"));
        assertEquals("in_br_lan", NftDsr.chain("br-lan"));
    }
}
