package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.hex;
import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.nftables.Conntrack;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.pool.TableReconciler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * IPv6 stateless NAT of UDP on the nftables engine for real, in namespaces on the host kernel, the
 * IPv6 twin of {@link NftablesStatelessIT}: a director (lb, ::10 of 2001:db8:184:1::/64 and ::1 of
 * 2001:db8:184:2::/64 on one link, the VIP 2001:db8:184:2::100) running {@link NftablesDataPlane}
 * on a thread in its namespace, driven by the shared {@link TableReconciler}; three UDP echo
 * backends on port 7000 (:1::11 to :1::13, their default route through the director) answering
 * from raw sockets with complete checksums; a client :2::20 whose transmit checksum offload is off,
 * so its datagrams leave complete too. IPv6 makes the UDP checksum mandatory and each receiver
 * checks the complete ones: a rewrite of an address that did not fix the checksum (the
 * pseudo-header holds both addresses) loses the datagram at the backend or the answer at the
 * client (Udp6InCsumErrors). One lab for the class ({@link StatelessNatLab}'s, with this class's
 * addresses and checks): it is the costly part.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NftablesStateless6IT {
    /** IPv4 of the lab's nodes (unused by the traffic, which is IPv6 only). */
    private static final String SUBNET = "198.18.184";
    private static final String NET = "2001:db8:184:1::";
    private static final String CLIENTS = "2001:db8:184:2::";
    private static final String VIP = CLIENTS + "100";
    private static final String CLIENT = CLIENTS + "20";
    private static final ServiceKey DNS = ServiceKey.of(TransportProtocol.UDP, ip(VIP), 53);
    private static final int PORT = StatelessNatLab.PORT;
    private static final String MAP = "netdev vipkeeper_dsr svc_udp_" + hex(VIP) + "_53_a";

    private StatelessNatLab nat;

    @BeforeAll
    void lab() throws Exception {
        nat = StatelessNatLab.start(SUBNET, DNS, CLIENT, new StatelessNatLab.Addresses() {
            @Override
            public void lb(String ns) throws Exception {
                Lab.sh("ip", "-n", ns, "addr", "add", NET + "10/64", "dev", "eth0", "nodad");
                Lab.sh("ip", "-n", ns, "addr", "add", CLIENTS + "1/64", "dev", "eth0", "nodad");
                Lab.sh("ip", "-n", ns, "addr", "add", VIP + "/128", "dev", "eth0", "nodad");
            }

            @Override
            public void client(String ns) throws Exception {
                Lab.sh("ip", "-n", ns, "addr", "add", CLIENT + "/64", "dev", "eth0", "nodad");
                TxChecksum.off(ns, "eth0");
            }

            @Override
            public String backend(String ns, int host) throws Exception {
                Lab.sh("ip", "-n", ns, "addr", "add", NET + host + "/64", "dev", "eth0", "nodad");
                Lab.sh("ip", "-n", ns, "-6", "route", "add", "default", "via", NET + "10");
                return NET + host;
            }
        });
        nat.diagnosis(() -> "; checksum errors (b1 b2 b3 client): " + csumErrors());
    }

    /** Each test from no service: the last one's drained backends and drift records gone with its service. */
    @BeforeEach
    void noService() throws Exception {
        nat.settle(Map.of());
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (nat != null) {
            nat.close();
        }
    }

    @Test
    void answersComeFromTheVipWithChecksumsTheReceiversAcceptAndNoConnectionState() throws Exception {
        nat.settle(desired(b(1), b(2), b(3)));
        StatelessNatLab.Answer a = nat.answered(nat.ask(41000), "the datagram from port 41000");
        assertEquals(new InetSocketAddress(ip(VIP), 53), a.from(), "the answer comes from VIP:53");
        assertTrue(a.body().endsWith(" " + CLIENT + ":41000"), "the backend saw the client's own address: " + a.body());
        assertEquals("0 0 0 0", csumErrors(), "no datagram lost to a checksum (b1 b2 b3 client)");
        List<Conntrack.Flow> flows = nat.onLb(() -> {
            try (Conntrack ct = new Conntrack()) {
                return ct.dump(f -> f.protocol() == 17 && f.original().srcPort() == 41000);
            }
        });
        assertEquals(List.of(), flows, "no conntrack entry for the balanced flows");
        assertEquals(Forwarding.STATELESS_NAT, nat.table().get(DNS).dests().get(b(1)).spec().forwarding());
    }

    @Test
    void aFlowKeepsItsBackendFlowsSpreadAndALeavingBackendsFlowsGoToTheOthers() throws Exception {
        nat.settle(desired(b(1), b(2), b(3)));
        for (int port = 42000; port < 42003; port++) {
            Set<String> one = new TreeSet<>();
            for (int i = 0; i < 5; i++) {
                one.add(nat.answered(nat.ask(port), "a datagram from port " + port).backend());
            }
            assertEquals(1, one.size(), "one flow, one backend: " + one);
        }
        assertEquals(Set.of("b1", "b2", "b3"), nat.spread(43000, 20).keySet());
        nat.settle(desired(b(1), b(3)));
        assertEquals(Set.of("b1", "b3"), nat.spread(43000, 20).keySet());
        nat.addBackWithoutRepair(desired(b(1), b(2), b(3)), b(2));
        assertEquals(Set.of("b1", "b2", "b3"), nat.spread(43000, 20).keySet());
    }

    @Test
    void aFlushedBackendMapIsDriftAndIsPutBack() throws Exception {
        nat.settle(desired(b(1), b(2)));
        String before = nat.sh("lb", "nft", "list map " + MAP);
        assertTrue(before.contains("elements"), before);
        nat.sh("lb", "nft", "flush map " + MAP);
        assertEquals(null, nat.ask(45000), "no answer with the map empty");
        assertEquals(List.of(TableChange.SetService.class), nat.plan(desired(b(1), b(2))).stream().map(Object::getClass).toList(),
                "a flushed map is drift");
        nat.settle(desired(b(1), b(2)));
        assertEquals(before, nat.sh("lb", "nft", "list map " + MAP));
        assertTrue(Set.of("b1", "b2").contains(nat.answered(nat.ask(45000), "the datagram from port 45000").backend()));
    }

    /**
     * Replies to an off-link client go to the main table's default gateway, not to another table's
     * default route (a VRRP virtual route in a policy table), which {@code /proc/net/ipv6_route}
     * lists first, with no table column (found by review).
     */
    @Test
    void offLinkRepliesGoToTheMainTablesDefaultGatewayNotAPolicyTables() throws Exception {
        String policy = CLIENTS + "99";
        String main = CLIENTS + "fe";
        try {
            nat.sh("lb", "ip", "-6", "route", "add", "default", "via", policy, "dev", "eth0", "table", "100");
            nat.sh("lb", "ip", "-6", "route", "add", "default", "via", main, "dev", "eth0", "metric", "1024");
            nat.settle(desired(b(1)));
            String rules = nat.sh("lb", "nft", "list chain netdev vipkeeper_dsr in_eth0");
            assertTrue(rules.contains("fwd ip6 to " + main + " device \"eth0\""), rules);
            assertTrue(!rules.contains(policy), rules);
        } finally {
            // Gone before the next test's settle writes the table again.
            nat.sh("lb", "sh", "-c", "ip -6 route flush table 100; ip -6 route del default via " + main + " dev eth0 || true");
        }
    }

    private static BackendKey b(int n) {
        return new BackendKey(ip(NET + (10 + n)), PORT);
    }

    /** A stateless-nat service on VIP:53 hashing the client's address and port (sh-port). */
    private static Map<ServiceKey, DesiredService> desired(BackendKey... backends) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (BackendKey b : backends) {
            dests.put(b, new BackendSpec(b, Forwarding.STATELESS_NAT, 1, 0, 0));
        }
        return Map.of(DNS, new DesiredService(new ServiceSpec(DNS, "sh", SchedulerFlag.SH_PORT.bit(), 0, 128), dests));
    }

    /** Udp6InCsumErrors of b1, b2, b3 and the client, space-separated. */
    private String csumErrors() throws Exception {
        List<String> out = new ArrayList<>();
        for (String node : List.of("b1", "b2", "b3", "client")) {
            String snmp = nat.sh(node, "cat", "/proc/net/snmp6");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Udp6InCsumErrors\\s+(\\d+)").matcher(snmp);
            out.add(m.find() ? m.group(1) : "?");
        }
        return String.join(" ", out);
    }
}
