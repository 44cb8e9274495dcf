package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualService;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 */
class NftablesStatelessIT {
    private static final String SUBNET = "198.18.112";
    private static final String CLIENTS = "198.18.113";
    private static final String VIP = CLIENTS + ".100";
    private static final String CLIENT = CLIENTS + ".20";
    private static final ServiceKey DNS = ServiceKey.of(TransportProtocol.UDP, ip(VIP), 53);
    private static final List<String> BACKENDS = List.of("b1", "b2", "b3");
    private static final int PORT = 7000;

    private Lab lab;
    private ExecutorService lbThread;
    private ExecutorService clientThread;
    private DataPlane engine;
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(1));

    @BeforeEach
    void lab() throws Exception {
        lab = Lab.create(SUBNET);
        try {
            String lb = lab.node("lb", 10);
            Lab.sh("ip", "-n", lb, "addr", "add", CLIENTS + ".1/24", "dev", "eth0");
            Lab.sh("ip", "-n", lb, "addr", "add", VIP + "/32", "dev", "eth0");
            String client = lab.node("client", 20);
            Lab.sh("ip", "-n", client, "addr", "add", CLIENT + "/24", "dev", "eth0");
            for (int i = 0; i < BACKENDS.size(); i++) {
                String name = BACKENDS.get(i);
                String ns = lab.node(name, 11 + i);
                Lab.sh("ip", "-n", ns, "route", "add", "default", "via", SUBNET + ".10");
                RawUdpEcho.start(lab, ns, name, SUBNET + "." + (11 + i), PORT);
            }
            lbThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(lb, "nft"));
            clientThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(client, "client"));
            engine = onLb(NftablesDataPlane::new);
            // conntrack on in the director's namespace, so a flow that went through it would be there to see.
            sh("lb", "nft", "add table inet seen; add chain inet seen pre { type filter hook prerouting priority 0; };"
                    + " add rule inet seen pre ct state new counter");
        } catch (Exception | Error e) {
            cleanUp();
            throw e;
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (clientThread != null) {
                clientThread.shutdownNow();
            }
        } finally {
            EngineThread.close(lbThread, engine, lab);
        }
    }

    @Test
    void repliesComeFromTheVipWithGoodChecksumsAndNoConnectionState() throws Exception {
        settle(desired(b(1), b(2), b(3)));
        // tcpdump checks the UDP checksum of what the client receives (the echo sent it complete).
        Process dump = new ProcessBuilder("ip", "netns", "exec", lab.ns("client"), "tcpdump", "-vv", "-n", "-l", "-c", "1",
                "-i", "eth0", "udp and src port 53").redirectErrorStream(true).start();
        lab.own(dump::destroyForcibly);
        Thread.sleep(1000);
        Answer a = ask(41000);
        assertTrue(dump.waitFor(10, TimeUnit.SECONDS), "tcpdump saw the answer");
        String seen = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(seen.contains("udp sum ok"), seen);
        assertEquals(new InetSocketAddress(ip(VIP), 53), a.from(), "the answer comes from VIP:53");
        assertTrue(a.body().endsWith(" " + CLIENT + ":41000"), "the backend saw the client's own address: " + a.body());
        List<Conntrack.Flow> flows = onLb(() -> {
            try (Conntrack ct = new Conntrack()) {
                return ct.dump(f -> f.protocol() == 17);
            }
        });
        assertEquals(List.of(), flows, "no conntrack entry for the balanced flows");
        assertEquals(Forwarding.STATELESS_NAT, table().get(DNS).dests().get(b(1)).spec().forwarding());
    }

    @Test
    void aFlowKeepsItsBackendAndPortsSpreadAndALeavingBackendReturns() throws Exception {
        settle(desired(b(1), b(2), b(3)));
        for (int port = 42000; port < 42005; port++) {
            Set<String> one = new java.util.TreeSet<>();
            for (int i = 0; i < 20; i++) {
                one.add(ask(port).backend());
            }
            assertEquals(1, one.size(), "one flow, one backend: " + one);
        }
        assertEquals(Set.of("b1", "b2", "b3"), spread(43000, 60).keySet());
        // Its health check fails: the pool takes it out, the others get its flows.
        settle(desired(b(1), b(3)));
        assertEquals(Set.of("b1", "b3"), spread(43000, 60).keySet());
        // The director's own datagrams to a backend's port (a UDP health check) are answered to it,
        // not turned into the VIP's answers.
        assertTrue(onLb(() -> echo(SUBNET + ".11", 44000)).startsWith("b1 "),
                "the director's probe of b1 (in the reply set) is answered");
        addBackWithoutRepair(desired(b(1), b(2), b(3)), b(2));
        assertEquals(Set.of("b1", "b2", "b3"), spread(43000, 60).keySet());
    }

    @Test
    void aHandDeletedRuleIsRepairedAndTheLastServiceGoneTakesTheTable() throws Exception {
        settle(desired(b(1), b(2)));
        String chain = "netdev vipkeeper_dsr in_eth0";
        String listing = sh("lb", "nft", "-a", "list chain " + chain);
        // The request rule (the replies' rules say "replies" in their comment).
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "fwd ip to ip daddr device \"eth0\" comment \"vipkeeper svc_udp_[0-9a-f]+_53\" # handle (\\d+)").matcher(listing);
        assertTrue(m.find(), listing);
        sh("lb", "nft", "delete rule " + chain + " handle " + m.group(1));
        assertTrue(ask(45000) == null, "no answer without the rule");
        assertEquals(List.of(TableChange.SetService.class), plan(desired(b(1), b(2))).stream().map(Object::getClass).toList(),
                "a deleted rule is drift");
        settle(desired(b(1), b(2)));
        assertTrue(ask(45000) != null, "answered again");
        // The service removed (a reload without it): the netdev table goes with its last service. A
        // daemon that stops leaves its tables, as the inet table and IPVS's (they survive a restart).
        settle(Map.of());
        assertTrue(!sh("lb", "nft", "list tables").contains("vipkeeper_dsr"), "no netdev table left");
    }

    @Test
    void roundRobinIsRefused() throws Exception {
        List<TableChange> ops = plan(desired("rr", b(1), b(2)));
        List<DataPlane.Failure> failures = onLb(() -> engine.apply(ops));
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
        while (table().get(DNS).dests().containsKey(back)) {
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
        return reconciler.plan(want, table(), Set.of(DNS), System.nanoTime(), false);
    }

    private Map<ServiceKey, ActualService> table() throws Exception {
        return onLb(engine::table);
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

    /** Which backend answered each of {@code flows} flows from client ports {@code first} on. */
    private Map<String, Integer> spread(int first, int flows) throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < flows; i++) {
            Answer a = ask(first + i);
            assertTrue(a != null, "flow " + i + " through the VIP was answered");
            seen.merge(a.backend(), 1, Integer::sum);
        }
        return seen;
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
