package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static io.vipkeeper.appliance.nftables.NftFixtures.tcp;
import static io.vipkeeper.appliance.nftables.NftFixtures.udp;
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
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** stateless-nat's part of the netdev table: the rules and maps of a service, who gets a slot, what is refused. */
class NftStatelessTest {
    private static final ServiceKey DNS = udp("198.18.113.100", 53);

    /** The clients' network .113 (and 2001:db8:113::/64) on eth0 with default gateways, the backends' .112 (2001:db8:112::/64) on eth1. */
    private static final NftStateless.Links LINKS = new NftStateless.Links() {
        @Override
        public String device(InetAddress a) {
            String s = a.getHostAddress();
            return s.startsWith("198.18.113.") || s.startsWith("2001:db8:113:") ? "eth0"
                    : s.startsWith("198.18.112.") || s.startsWith("2001:db8:112:") ? "eth1"
                    : s.startsWith("198.18.115.") ? "eth2" : null;
        }

        @Override
        public List<String> networks(String device, boolean ipv6) {
            return !device.equals("eth0") ? List.of() : ipv6 ? List.of("2001:db8:113::/64") : List.of("198.18.113.0/24");
        }

        @Override
        public String gateway(String device, boolean ipv6) {
            return !device.equals("eth0") ? null : ipv6 ? "fe80::1" : "198.18.113.254";
        }
    };

    private static String script(DesiredService... services) {
        return NftDsr.script(List.of(), b -> null, List.of(services), LINKS);
    }

    private static DesiredService stateless(ServiceKey key, String scheduler, int flags, Object... addressPortWeight) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (int i = 0; i < addressPortWeight.length; i += 3) {
            BackendKey b = new BackendKey(ip((String) addressPortWeight[i]), (Integer) addressPortWeight[i + 1]);
            dests.put(b, new BackendSpec(b, Forwarding.STATELESS_NAT, (Integer) addressPortWeight[i + 2], 0, 0));
        }
        return new DesiredService(new ServiceSpec(key, scheduler, flags, 0, 0xffffffffL), dests);
    }

    @Test
    void aServiceRewritesRequestsPerFlowAndRepliesBackToTheVip() {
        String seed = NftLayout.hex(NftLayout.seed(DNS));
        String hash = "jhash ip saddr . udp sport mod 3 seed " + seed;
        String t = "netdev vipkeeper_dsr";
        String svc = "svc_udp_c6127164_53";
        String back = "ip saddr . udp sport @" + svc + "_r fib daddr type != local ip saddr set 198.18.113.100 udp sport set 53";
        assertEquals(String.join("\n",
                "add table " + t,
                "delete table " + t,
                "add table " + t,
                "add map " + t + " " + svc + "_a { typeof numgen inc mod 1 : ip daddr; }",
                "add map " + t + " " + svc + "_p { typeof numgen inc mod 1 : udp dport; }",
                "add set " + t + " " + svc + "_r { typeof ip saddr . udp sport; }",
                "add element " + t + " " + svc + "_r { 198.18.112.11 . 53, 198.18.112.12 . 5353 }", // address order
                "add element " + t + " " + svc + "_a { 0 : 198.18.112.11, 1 : 198.18.112.12, 2 : 198.18.112.12 }",
                "add element " + t + " " + svc + "_p { 0 : 53, 1 : 5353, 2 : 5353 }",
                "add chain " + t + " in_eth0 { type filter hook ingress device \"eth0\" priority 0; policy accept; }",
                "add rule " + t + " in_eth0 ip daddr 198.18.113.100 udp dport 53 fib daddr type local ip daddr set " + hash
                        + " map @" + svc + "_a udp dport set " + hash + " map @" + svc + "_p fwd ip to ip daddr device \"eth1\""
                        + " comment \"vipkeeper " + svc + "\"",
                "add chain " + t + " in_eth1 { type filter hook ingress device \"eth1\" priority 0; policy accept; }",
                "add rule " + t + " in_eth1 ip daddr { 198.18.113.0/24 } " + back + " fwd ip to ip daddr device \"eth0\""
                        + " comment \"vipkeeper " + svc + " replies\"",
                "add rule " + t + " in_eth1 " + back + " fwd ip to 198.18.113.254 device \"eth0\" comment \"vipkeeper " + svc
                        + " replies via gateway\"", ""),
                script(stateless(DNS, "sh", SchedulerFlag.SH_PORT.bit(), "198.18.112.12", 5353, 2, "198.18.112.11", 53, 1)));
    }

    @Test
    void anIpv6ServiceRewritesIp6AddressesWithItsOwnFamilysMapsNetworksAndGateway() {
        ServiceKey dns6 = udp("2001:db8:113::100", 53);
        String seed = NftLayout.hex(NftLayout.seed(dns6));
        String hash = "jhash ip6 saddr . udp sport mod 2 seed " + seed;
        String t = "netdev vipkeeper_dsr";
        String svc = NftLayout.chain(dns6);
        String back = "ip6 saddr . udp sport @" + svc + "_r fib daddr type != local ip6 saddr set 2001:db8:113::100 udp sport"
                + " set 53";
        String s = script(stateless(dns6, "sh", SchedulerFlag.SH_PORT.bit(), "2001:db8:112::11", 53, 1, "2001:db8:112::12", 5353,
                1));
        assertEquals(String.join("\n",
                "add table " + t,
                "delete table " + t,
                "add table " + t,
                "add map " + t + " " + svc + "_a { typeof numgen inc mod 1 : ip6 daddr; }",
                "add map " + t + " " + svc + "_p { typeof numgen inc mod 1 : udp dport; }",
                "add set " + t + " " + svc + "_r { typeof ip6 saddr . udp sport; }",
                "add element " + t + " " + svc + "_r { 2001:db8:112::11 . 53, 2001:db8:112::12 . 5353 }",
                "add element " + t + " " + svc + "_a { 0 : 2001:db8:112::11, 1 : 2001:db8:112::12 }",
                "add element " + t + " " + svc + "_p { 0 : 53, 1 : 5353 }",
                "add chain " + t + " in_eth0 { type filter hook ingress device \"eth0\" priority 0; policy accept; }",
                "add rule " + t + " in_eth0 ip6 daddr 2001:db8:113::100 udp dport 53 fib daddr type local ip6 daddr set " + hash
                        + " map @" + svc + "_a udp dport set " + hash + " map @" + svc + "_p fwd ip6 to ip6 daddr device"
                        + " \"eth1\" comment \"vipkeeper " + svc + "\"",
                "add chain " + t + " in_eth1 { type filter hook ingress device \"eth1\" priority 0; policy accept; }",
                "add rule " + t + " in_eth1 ip6 daddr { 2001:db8:113::/64 } " + back + " fwd ip6 to ip6 daddr device \"eth0\""
                        + " comment \"vipkeeper " + svc + " replies\"",
                "add rule " + t + " in_eth1 " + back + " fwd ip6 to fe80::1 device \"eth0\" comment \"vipkeeper " + svc
                        + " replies via gateway\"", ""), s);
    }

    @Test
    void withoutThePortFlagOnlyTheClientsAddressIsHashedAndOneCommonPortIsNotRewritten() {
        String s = script(stateless(DNS, "mh", 0, "198.18.112.11", 53, 1, "198.18.112.12", 53, 1));
        assertTrue(s.contains("ip daddr set jhash ip saddr mod 8191 seed "), s);
        assertTrue(!s.contains("udp dport set"), s);
        assertTrue(!s.contains("numgen inc mod 2") && !s.contains("numgen random"), "never per datagram: " + s);
    }

    @Test
    void aBackendOfWeightZeroLeavesTheSlotsButItsRepliesAreStillTurnedBack() {
        String s = script(stateless(DNS, "sh", 0, "198.18.112.11", 53, 1, "198.18.112.12", 53, 0));
        assertTrue(s.contains("_a { 0 : 198.18.112.11 }\n"), s);
        assertTrue(s.contains("_r { 198.18.112.11 . 53, 198.18.112.12 . 53 }\n"), s);
    }

    @Test
    void backendsOnAnotherInterfaceOrNoNetworkAndAVipOnNoNetworkAreLeftOut() {
        String s = script(stateless(DNS, "sh", 0, "198.18.112.11", 53, 1, "198.18.112.12", 53, 1, "198.18.115.5", 53, 1,
                "198.19.0.1", 53, 1));
        assertTrue(s.contains("_a { 0 : 198.18.112.11, 1 : 198.18.112.12 }\n"), s);
        assertTrue(!s.contains("eth2") && !s.contains("198.19.0.1"), s);
        String nowhere = script(stateless(udp("198.18.200.1", 53), "sh", 0, "198.18.112.11", 53, 1));
        assertTrue(!nowhere.contains("add rule"), nowhere);
    }

    @Test
    void refusals() {
        assertNull(NftStateless.refusal(stateless(DNS, "mh", 0, "198.18.112.11", 53, 1)));
        assertTrue(NftStateless.refusal(stateless(DNS, "rr", 0, "198.18.112.11", 53, 1)).contains("only a hash of the client"));
        assertTrue(NftStateless.refusal(stateless(DNS, "wrr", 0, "198.18.112.11", 53, 1)).contains("only a hash of the client"));
        assertTrue(NftStateless.refusal(stateless(tcp("198.18.113.100", 53), "sh", 0, "198.18.112.11", 53, 1)).contains("UDP"));
        assertNull(NftStateless.refusal(stateless(udp("2001:db8:113::100", 53), "sh", 0, "2001:db8:112::11", 53, 1)));
        DesiredService mixed = stateless(DNS, "sh", 0, "198.18.112.11", 53, 1);
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>(mixed.dests());
        BackendKey nat = new BackendKey(ip("198.18.112.12"), 53);
        dests.put(nat, new BackendSpec(nat, Forwarding.NAT, 1, 0, 0));
        assertTrue(NftStateless.refusal(new DesiredService(mixed.spec(), dests)).contains("alike"));
        assertNull(NftStateless.refusal(NftFixtures.service(DNS, "rr", NftFixtures.backend("198.18.112.11", 53, 1))),
                "not stateless: not its business");
    }

    @Test
    void theDefaultRoutesGatewayIsReadPerInterface() {
        assertEquals(Map.of("eth0", "198.18.113.254"), NftLinks.gateways(List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "eth0\t00000000\tFE7112C6\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "eth0\t007112C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0")));
        assertEquals("198.18.112.0/22", NftLinks.network(ip("198.18.113.7").getAddress(), 22));
        assertEquals("2001:db8:184::/48", NftLinks.network(ip("2001:db8:184:2::20").getAddress(), 48));
        // IPv6's: DefaultRoutes6Test.
    }

    /**
     * A backend added back comes last in the engine's table, and in the kernel's order in the table
     * a run reads back: both must write one script, or its stamp differs and the run after the add
     * reads the netdev table as out of date and rewrites it (a repair counted at every health flap).
     */
    @Test
    void theScriptDoesNotDependOnTheOrderOfTheBackends() {
        assertEquals(script(stateless(DNS, "mh", 0, "198.18.112.11", 53, 1, "198.18.112.12", 53, 1, "198.18.112.13", 53, 0)),
                script(stateless(DNS, "mh", 0, "198.18.112.13", 53, 0, "198.18.112.11", 53, 1, "198.18.112.12", 53, 1)));
        ServiceKey dns6 = udp("2001:db8:113::100", 53);
        assertEquals(script(stateless(dns6, "sh", SchedulerFlag.SH_PORT.bit(), "2001:db8:112::11", 53, 1, "2001:db8:112::12",
                        5353, 2)),
                script(stateless(dns6, "sh", SchedulerFlag.SH_PORT.bit(), "2001:db8:112::12", 5353, 2, "2001:db8:112::11", 53,
                        1)));
    }
}
