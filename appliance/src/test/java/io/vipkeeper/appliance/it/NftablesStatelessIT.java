package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DataPlane;
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
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stateless NAT of UDP on the nftables engine for real, in namespaces on the host kernel: a
 * director (lb, .10 of 198.18.112.0/24 and .1 of 198.18.113.0/24, the VIP .113.100) running
 * {@link NftablesDataPlane} on a thread in its namespace, driven by the shared {@link
 * TableReconciler}; three UDP echo backends on port 7000 (.11-.13 of .112, their default route
 * through the director), answering from raw sockets with complete checksums; a client .113.20 on
 * the other network of the same link. The client's datagrams to VIP:53 reach the backends with
 * the client's own address and the answers come back from VIP:53, all without a conntrack entry.
 * The lab is {@link StatelessNatLab}'s; the addresses and the checks are this class's.
 */
class NftablesStatelessIT {
    private static final String SUBNET = "198.18.112";
    private static final String CLIENTS = "198.18.113";
    private static final String VIP = CLIENTS + ".100";
    private static final String CLIENT = CLIENTS + ".20";
    private static final ServiceKey DNS = ServiceKey.of(TransportProtocol.UDP, ip(VIP), 53);
    private static final int PORT = StatelessNatLab.PORT;

    private StatelessNatLab nat;

    @BeforeEach
    void lab() throws Exception {
        nat = StatelessNatLab.start(SUBNET, DNS, CLIENT, new StatelessNatLab.Addresses() {
            @Override
            public void lb(String ns) throws Exception {
                Lab.sh("ip", "-n", ns, "addr", "add", CLIENTS + ".1/24", "dev", "eth0");
                Lab.sh("ip", "-n", ns, "addr", "add", VIP + "/32", "dev", "eth0");
            }

            @Override
            public void client(String ns) throws Exception {
                Lab.sh("ip", "-n", ns, "addr", "add", CLIENT + "/24", "dev", "eth0");
            }

            @Override
            public String backend(String ns, int host) throws Exception {
                Lab.sh("ip", "-n", ns, "route", "add", "default", "via", SUBNET + ".10");
                return SUBNET + "." + host;
            }
        });
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (nat != null) {
            nat.close();
        }
    }

    @Test
    void repliesComeFromTheVipWithGoodChecksumsAndNoConnectionState() throws Exception {
        nat.settle(desired(b(1), b(2), b(3)));
        // tcpdump checks the UDP checksum of what the client receives (the echo sent it complete).
        Process dump = new ProcessBuilder("ip", "netns", "exec", nat.lab().ns("client"), "tcpdump", "-vv", "-n", "-l", "-c", "1",
                "-i", "eth0", "udp and src port 53").redirectErrorStream(true).start();
        nat.lab().own(dump::destroyForcibly);
        Thread.sleep(1000);
        StatelessNatLab.Answer a = nat.ask(41000);
        assertTrue(dump.waitFor(10, TimeUnit.SECONDS), "tcpdump saw the answer");
        String seen = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(seen.contains("udp sum ok"), seen);
        assertEquals(new InetSocketAddress(ip(VIP), 53), a.from(), "the answer comes from VIP:53");
        assertTrue(a.body().endsWith(" " + CLIENT + ":41000"), "the backend saw the client's own address: " + a.body());
        List<Conntrack.Flow> flows = nat.onLb(() -> {
            try (Conntrack ct = new Conntrack()) {
                return ct.dump(f -> f.protocol() == 17);
            }
        });
        assertEquals(List.of(), flows, "no conntrack entry for the balanced flows");
        assertEquals(Forwarding.STATELESS_NAT, nat.table().get(DNS).dests().get(b(1)).spec().forwarding());
    }

    @Test
    void aFlowKeepsItsBackendAndPortsSpreadAndALeavingBackendReturns() throws Exception {
        nat.settle(desired(b(1), b(2), b(3)));
        for (int port = 42000; port < 42005; port++) {
            Set<String> one = new java.util.TreeSet<>();
            for (int i = 0; i < 20; i++) {
                one.add(nat.ask(port).backend());
            }
            assertEquals(1, one.size(), "one flow, one backend: " + one);
        }
        assertEquals(Set.of("b1", "b2", "b3"), nat.spread(43000, 60).keySet());
        // Its health check fails: the pool takes it out, the others get its flows.
        nat.settle(desired(b(1), b(3)));
        assertEquals(Set.of("b1", "b3"), nat.spread(43000, 60).keySet());
        // The director's own datagrams to a backend's port (a UDP health check) are answered to it,
        // not turned into the VIP's answers.
        assertTrue(nat.onLb(() -> echo(SUBNET + ".11", 44000)).startsWith("b1 "),
                "the director's probe of b1 (in the reply set) is answered");
        nat.addBackWithoutRepair(desired(b(1), b(2), b(3)), b(2));
        assertEquals(Set.of("b1", "b2", "b3"), nat.spread(43000, 60).keySet());
    }

    @Test
    void aHandDeletedRuleIsRepairedAndTheLastServiceGoneTakesTheTable() throws Exception {
        nat.settle(desired(b(1), b(2)));
        String chain = "netdev vipkeeper_dsr in_eth0";
        String listing = nat.sh("lb", "nft", "-a", "list chain " + chain);
        // The request rule (the replies' rules say "replies" in their comment).
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "fwd ip to ip daddr device \"eth0\" comment \"vipkeeper svc_udp_[0-9a-f]+_53\" # handle (\\d+)").matcher(listing);
        assertTrue(m.find(), listing);
        nat.sh("lb", "nft", "delete rule " + chain + " handle " + m.group(1));
        assertTrue(nat.ask(45000) == null, "no answer without the rule");
        assertEquals(List.of(TableChange.SetService.class), nat.plan(desired(b(1), b(2))).stream().map(Object::getClass).toList(),
                "a deleted rule is drift");
        nat.settle(desired(b(1), b(2)));
        assertTrue(nat.ask(45000) != null, "answered again");
        // The service removed (a reload without it): the netdev table goes with its last service. A
        // daemon that stops leaves its tables, as the inet table and IPVS's (they survive a restart).
        nat.settle(Map.of());
        assertTrue(!nat.sh("lb", "nft", "list tables").contains("vipkeeper_dsr"), "no netdev table left");
    }

    @Test
    void roundRobinIsRefused() throws Exception {
        List<TableChange> ops = nat.plan(desired("rr", b(1), b(2)));
        List<DataPlane.Failure> failures = nat.onLb(() -> nat.engine().apply(ops));
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).error().getMessage().contains("only a hash of the client"), failures.get(0).error().getMessage());
    }

    private static BackendKey b(int n) {
        return new BackendKey(ip(SUBNET + "." + (10 + n)), PORT);
    }

    private static Map<ServiceKey, DesiredService> desired(BackendKey... backends) {
        return desired("sh", backends);
    }

    /** A stateless-nat service on VIP:53 hashing the client's address and port (sh-port). */
    private static Map<ServiceKey, DesiredService> desired(String scheduler, BackendKey... backends) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (BackendKey b : backends) {
            dests.put(b, new BackendSpec(b, Forwarding.STATELESS_NAT, 1, 0, 0));
        }
        int flags = "sh".equals(scheduler) ? SchedulerFlag.SH_PORT.bit() : 0;
        return Map.of(DNS, new DesiredService(new ServiceSpec(DNS, scheduler, flags, 0, 0xffffffffL), dests));
    }

    /** The answer to a datagram to {@code address}:7000 from this thread's namespace. */
    private static String echo(String address, int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket(port)) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(new byte[] {'p'}, 1, ip(address), PORT));
            DatagramPacket r = new DatagramPacket(new byte[512], 512);
            s.receive(r);
            return new String(r.getData(), 0, r.getLength(), StandardCharsets.US_ASCII);
        }
    }
}
