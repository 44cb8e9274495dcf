package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.hex;
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
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * client (Udp6InCsumErrors). One lab for the class: it is the costly part.
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
    private static final List<String> BACKENDS = List.of("b1", "b2", "b3");
    private static final int PORT = 7000;
    private static final String MAP = "netdev vipkeeper_dsr svc_udp_" + hex(VIP) + "_53_a";

    private Lab lab;
    private ExecutorService lbThread;
    private ExecutorService clientThread;
    private DataPlane engine;
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(1));

    @BeforeAll
    void lab() throws Exception {
        // JUnit runs @AfterAll also when this fails: it cleans up whatever was made.
        lab = Lab.create(SUBNET);
        String lb = lab.node("lb", 10);
        Lab.sh("ip", "-n", lb, "addr", "add", NET + "10/64", "dev", "eth0", "nodad");
        Lab.sh("ip", "-n", lb, "addr", "add", CLIENTS + "1/64", "dev", "eth0", "nodad");
        Lab.sh("ip", "-n", lb, "addr", "add", VIP + "/128", "dev", "eth0", "nodad");
        String client = lab.node("client", 20);
        Lab.sh("ip", "-n", client, "addr", "add", CLIENT + "/64", "dev", "eth0", "nodad");
        TxChecksum.off(client, "eth0");
        for (int i = 0; i < BACKENDS.size(); i++) {
            String name = BACKENDS.get(i);
            String ns = lab.node(name, 11 + i);
            Lab.sh("ip", "-n", ns, "addr", "add", NET + (11 + i) + "/64", "dev", "eth0", "nodad");
            Lab.sh("ip", "-n", ns, "-6", "route", "add", "default", "via", NET + "10");
            RawUdpEcho.start(lab, ns, name, NET + (11 + i), PORT);
        }
        lbThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(lb, "nft"));
        clientThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(client, "client"));
        engine = onLb(NftablesDataPlane::new);
        // conntrack on in the director's namespace, so a flow that went through it would be there to see.
        sh("lb", "nft", "add table inet seen; add chain inet seen pre { type filter hook prerouting priority 0; };"
                + " add rule inet seen pre ct state new counter");
    }

    /** Each test from no service: the last one's drained backends and drift records gone with its service. */
    @BeforeEach
    void noService() throws Exception {
        settle(Map.of());
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (clientThread != null) {
                clientThread.shutdownNow();
            }
        } finally {
            if (lab != null) {
                EngineThread.close(lbThread, engine, lab);
            }
        }
    }

    @Test
    void answersComeFromTheVipWithChecksumsTheReceiversAcceptAndNoConnectionState() throws Exception {
        settle(desired(b(1), b(2), b(3)));
        Answer a = ask(41000);
        assertTrue(a != null, "answered through the VIP; checksum errors (b1 b2 b3 client): " + csumErrors());
        assertEquals(new InetSocketAddress(ip(VIP), 53), a.from(), "the answer comes from VIP:53");
        assertTrue(a.body().endsWith(" " + CLIENT + ":41000"), "the backend saw the client's own address: " + a.body());
        assertEquals("0 0 0 0", csumErrors(), "no datagram lost to a checksum (b1 b2 b3 client)");
        List<Conntrack.Flow> flows = onLb(() -> {
            try (Conntrack ct = new Conntrack()) {
                return ct.dump(f -> f.protocol() == 17 && f.original().srcPort() == 41000);
            }
        });
        assertEquals(List.of(), flows, "no conntrack entry for the balanced flows");
        assertEquals(Forwarding.STATELESS_NAT, onLb(engine::table).get(DNS).dests().get(b(1)).spec().forwarding());
    }

    @Test
    void aFlowKeepsItsBackendFlowsSpreadAndALeavingBackendsFlowsGoToTheOthers() throws Exception {
        settle(desired(b(1), b(2), b(3)));
        for (int port = 42000; port < 42003; port++) {
            Set<String> one = new TreeSet<>();
            for (int i = 0; i < 5; i++) {
                one.add(answered(ask(port)).backend());
            }
            assertEquals(1, one.size(), "one flow, one backend: " + one);
        }
        assertEquals(Set.of("b1", "b2", "b3"), spread(43000, 20).keySet());
        settle(desired(b(1), b(3)));
        assertEquals(Set.of("b1", "b3"), spread(43000, 20).keySet());
        addBackWithoutRepair(desired(b(1), b(2), b(3)), b(2));
        assertEquals(Set.of("b1", "b2", "b3"), spread(43000, 20).keySet());
    }

    @Test
    void aFlushedBackendMapIsDriftAndIsPutBack() throws Exception {
        settle(desired(b(1), b(2)));
        String before = sh("lb", "nft", "list map " + MAP);
        assertTrue(before.contains("elements"), before);
        sh("lb", "nft", "flush map " + MAP);
        assertEquals(null, ask(45000), "no answer with the map empty");
        assertEquals(List.of(TableChange.SetService.class), plan(desired(b(1), b(2))).stream().map(Object::getClass).toList(),
                "a flushed map is drift");
        settle(desired(b(1), b(2)));
        assertEquals(before, sh("lb", "nft", "list map " + MAP));
        assertTrue(Set.of("b1", "b2").contains(answered(ask(45000)).backend()));
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
            sh("lb", "ip", "-6", "route", "add", "default", "via", policy, "dev", "eth0", "table", "100");
            sh("lb", "ip", "-6", "route", "add", "default", "via", main, "dev", "eth0", "metric", "1024");
            settle(desired(b(1)));
            String rules = sh("lb", "nft", "list chain netdev vipkeeper_dsr in_eth0");
            assertTrue(rules.contains("fwd ip6 to " + main + " device \"eth0\""), rules);
            assertTrue(!rules.contains(policy), rules);
        } finally {
            // Gone before the next test's settle writes the table again.
            sh("lb", "sh", "-c", "ip -6 route flush table 100; ip -6 route del default via " + main + " dev eth0 || true");
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

    /**
     * Applies one run's plan for {@code want}, which adds a backend back that was deleted, then
     * checks that the next run plans nothing. The add used to write the netdev table under another
     * digest than the one the next run's read-back expects (the backend's replies element written
     * last, read back in the kernel's order): that run read it as drift and rewrote the table, a
     * "repaired drift" and a repair counted at every health flap.
     */
    private void addBackWithoutRepair(Map<ServiceKey, DesiredService> want, BackendKey back) throws Exception {
        // Taken out, it drains first (weight 0, until the reconciler's drain timeout): deleted only then.
        Map<ServiceKey, DesiredService> without = desired(want.get(DNS).dests().keySet().stream().filter(b -> !b.equals(back))
                .toArray(BackendKey[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (onLb(engine::table).get(DNS).dests().containsKey(back)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(back + " not deleted after 10 s");
            }
            Thread.sleep(100);
            settle(without);
        }
        List<TableChange> ops = plan(want);
        assertEquals(List.of(TableChange.NewBackend.class), ops.stream().map(Object::getClass).toList(), "adds it back");
        assertEquals(List.of(), onLb(() -> engine.apply(ops)));
        assertEquals(List.of(), plan(want), "the run after the add finds no drift to repair");
    }

    private void settle(Map<ServiceKey, DesiredService> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<TableChange> ops = plan(want);
            if (ops.isEmpty()) {
                return;
            }
            assertEquals(List.of(), onLb(() -> engine.apply(ops)));
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still changing after 10 s: " + plan(want));
            }
        }
    }

    private List<TableChange> plan(Map<ServiceKey, DesiredService> want) throws Exception {
        return reconciler.plan(want, onLb(engine::table), Set.of(DNS), System.nanoTime(), false);
    }

    private <T> T onLb(Callable<T> task) throws Exception {
        return EngineThread.call(lbThread, task);
    }

    /** What answered a datagram from the client's port {@code port} to VIP:53, or null after a second. */
    private Answer ask(int port) throws Exception {
        return EngineThread.call(clientThread, () -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip(CLIENT), port))) {
                s.setSoTimeout(1000);
                byte[] q = "q".getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(q, q.length, ip(VIP), 53));
                DatagramPacket r = new DatagramPacket(new byte[512], 512);
                s.receive(r);
                return new Answer((InetSocketAddress) r.getSocketAddress(), new String(r.getData(), 0, r.getLength(),
                        StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException e) {
                return null;
            }
        });
    }

    private Answer answered(Answer a) throws Exception {
        assertTrue(a != null, "answered through the VIP; checksum errors (b1 b2 b3 client): " + csumErrors());
        return a;
    }

    /** Which backend answered each of {@code flows} flows from client ports {@code first} on. */
    private Map<String, Integer> spread(int first, int flows) throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < flows; i++) {
            seen.merge(answered(ask(first + i)).backend(), 1, Integer::sum);
        }
        return seen;
    }

    /** Udp6InCsumErrors of b1, b2, b3 and the client, space-separated. */
    private String csumErrors() throws Exception {
        List<String> out = new ArrayList<>();
        for (String node : List.of("b1", "b2", "b3", "client")) {
            String snmp = sh(node, "cat", "/proc/net/snmp6");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Udp6InCsumErrors\\s+(\\d+)").matcher(snmp);
            out.add(m.find() ? m.group(1) : "?");
        }
        return String.join(" ", out);
    }

    private String sh(String node, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(node)));
        full.addAll(List.of(cmd));
        return Lab.sh(full.toArray(String[]::new));
    }

    private record Answer(InetSocketAddress from, String body) {
        String backend() {
            return body.split(" ")[0];
        }
    }
}
