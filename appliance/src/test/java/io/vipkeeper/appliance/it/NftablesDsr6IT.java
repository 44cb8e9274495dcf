package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.hex;
import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPv6 direct routing on the nftables engine for real, in namespaces on the host kernel: a bridge,
 * a director (lb, ::10) running {@link NftablesDataPlane} on a thread in its namespace and driven
 * by the shared {@link TableReconciler}, three busybox web servers (::11 to ::13) prepared by the
 * jar's own {@code vipkeeper realserver up} (the VIP ::100/128 on lo, nodad) and a client with
 * twelve addresses (::20 to ::2b), all on one /64. Before the director holds the VIP, nobody
 * answers the client's neighbour solicitation for it (Linux answers only for addresses on the
 * interface the solicitation came in on, so IPv6 needs no arp_ignore). Then the client's
 * connections reach the backends through the director's netdev ingress rule and the answers come
 * straight back from the backends' MACs; the director sees none. One lab for the class: it is the
 * costly part.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NftablesDsr6IT {
    /** IPv4 of the lab's nodes (unused by the traffic, which is IPv6 only). */
    private static final String SUBNET = "198.18.176";
    private static final String NET6 = "2001:db8:176::";
    private static final String VIP = NET6 + "100";
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, ip(VIP), 80);
    private static final List<String> WEBS = List.of("web1", "web2", "web3");
    private static final List<BackendKey> BACKENDS = WEBS.stream().map(w -> new BackendKey(ip(NET6 + "1" + w.charAt(3)), 80))
            .toList();
    /** The client's source addresses: each one is a client to the hash (sh and mh without the port flag). */
    private static final List<String> CLIENTS = List.of("20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "2a", "2b")
            .stream().map(h -> NET6 + h).toList();
    private static final String MAP = "netdev vipkeeper_dsr " + "svc_tcp_" + hex(VIP) + "_80_d";

    @TempDir
    static Path dir;
    private Lab lab;
    private ExecutorService lbThread;
    private DataPlane engine;
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(1));
    /** What each backend's {@code realserver up} printed. */
    private final Map<String, String> upOutput = new TreeMap<>();
    /** The client's neighbour entry for the VIP after soliciting it while only the backends had it (on lo). */
    private String neighbourBeforeDirector;

    @BeforeAll
    void lab() throws Exception {
        // JUnit runs @AfterAll also when this fails: it cleans up whatever was made.
        lab = Lab.create(SUBNET);
        WebBackends.add(lab, dir, WEBS.size(), 80);
        String lb = lab.node("lb", 10);
        lab.node("client", 20);
        v6("lb", "10");
        for (String web : WEBS) {
            v6(web, "1" + web.charAt(3));
        }
        for (String c : CLIENTS) {
            Lab.sh("ip", "-n", lab.ns("client"), "addr", "add", c + "/64", "dev", "eth0", "nodad");
        }
        realServersUp();
        // Only the backends have the VIP now, on lo: a solicitation for it must go unanswered.
        assertFalse(lab.pings("client", VIP), "nobody answers for the VIP before the director holds it");
        neighbourBeforeDirector = sh("client", "ip", "-6", "neigh", "show", VIP);
        Lab.sh("ip", "-n", lb, "addr", "add", VIP + "/128", "dev", "eth0", "nodad");
        lbThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(lb, "nft"));
        engine = onLb(NftablesDataPlane::new);
        for (BackendKey b : BACKENDS) {
            Lab.await(10, b + " serving over IPv6", () -> get(null, b.address().getHostAddress()) != null);
        }
        StringBuilder seen = new StringBuilder("add table netdev seen; add chain netdev seen in { type filter hook ingress"
                + " device eth0 priority 0; }");
        for (String web : WEBS) {
            seen.append("; add rule netdev seen in ip6 saddr ").append(VIP).append(" tcp sport 80 ether saddr ")
                    .append(mac(web)).append(" counter comment \"").append(web).append('"');
        }
        // What the client receives from the VIP, by source MAC.
        sh("client", "nft", seen.toString());
        // What reaches the director: the requests (it forwards them) and, if any, the answers.
        sh("lb", "nft", "add table netdev seen; add chain netdev seen in { type filter hook ingress device eth0"
                + " priority -10; }; add rule netdev seen in ip6 daddr " + VIP + " tcp dport 80 counter comment \"requests\";"
                + " add rule netdev seen in ip6 saddr " + VIP + " tcp sport 80 counter comment \"answers\"");
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (lab != null) {
            EngineThread.close(lbThread, engine, lab);
        }
    }

    /** {@code vipkeeper realserver up} in every backend at once (a JVM each: in parallel, they cost one start). */
    private void realServersUp() throws Exception {
        Path rs = Files.writeString(dir.resolve("rs.conf"), "vipkeeper.real-server {\n  vips = [\"" + VIP
                + "\"]\n  interface = eth0\n}\n");
        Map<String, JarProcess> ups = new LinkedHashMap<>();
        try {
            for (String web : WEBS) {
                ups.put(web, JarProcess.startIn(lab.ns(web), dir, "realserver", "up", "-f", rs.toString(), "--state",
                        dir.resolve(web + ".state").toString()));
            }
            for (Map.Entry<String, JarProcess> up : ups.entrySet()) {
                assertEquals(0, up.getValue().waitFor(), up.getValue().err());
                upOutput.put(up.getKey(), up.getValue().out());
            }
        } finally {
            for (JarProcess p : ups.values()) {
                p.close();
            }
        }
    }

    @Test
    void realServerUpPutsTheVipOnLoWithoutDadAndNoBackendAnswersNeighbourSolicitationsForIt() throws Exception {
        for (String web : WEBS) {
            assertTrue(upOutput.get(web).contains("added " + VIP + "/128 on lo"), web + ": " + upOutput.get(web));
            String lo = sh(web, "ip", "-6", "addr", "show", "dev", "lo");
            assertTrue(lo.contains("inet6 " + VIP + "/128 scope global nodad"), lo);
        }
        // A backend's answer would have left the client a MAC for the VIP (REACHABLE); there is none.
        assertFalse(neighbourBeforeDirector.contains("lladdr"), "a backend answered for the VIP: " + neighbourBeforeDirector);
    }

    @Test
    void backendsAnswerTheClientDirectlyAndShPinsEachClientToOneBackend() throws Exception {
        settle(desired("sh", BACKENDS));
        long answersBefore = NftListing.packets(sh("lb", "nft", "list chain netdev seen in"), "answers");
        long requestsBefore = NftListing.packets(sh("lb", "nft", "list chain netdev seen in"), "requests");
        Map<String, String> first = pick();
        for (int round = 0; round < 2; round++) {
            assertEquals(first, pick(), "sh keeps every client on its backend");
        }
        assertTrue(new TreeSet<>(first.values()).size() >= 2, "the clients spread over the backends: " + first);
        String client = sh("client", "nft", "list chain netdev seen in");
        for (String web : new TreeSet<>(first.values())) {
            assertTrue(NftListing.packets(client, web) > 0, "answers come from " + web + "'s MAC: " + client);
        }
        String director = sh("lb", "nft", "list chain netdev seen in");
        assertTrue(NftListing.packets(director, "requests") - requestsBefore >= 3 * CLIENTS.size(), "the requests pass the director: "
                + director);
        assertEquals(answersBefore, NftListing.packets(director, "answers"), "the director saw no answer: " + director);
        assertEquals(0, answersBefore);
        ActualService read = table().get(WEB);
        assertEquals(Set.copyOf(BACKENDS), read.dests().keySet());
        assertEquals(Forwarding.DR, read.dests().get(BACKENDS.get(0)).spec().forwarding());
    }

    @Test
    void mhKeepsTheOtherBackendsClientsWhenOneLeaves() throws Exception {
        settle(desired("mh", BACKENDS));
        Map<String, String> before = pick();
        assertTrue(before.containsValue("web3") && before.size() > before.values().stream().filter("web3"::equals).count(),
                "some clients on web3, some elsewhere: " + before);
        settle(desired("mh", BACKENDS.subList(0, 2)));
        Map<String, String> after = pick();
        before.forEach((c, web) -> {
            if (!"web3".equals(web)) {
                assertEquals(web, after.get(c), c + " stays on its backend when web3 leaves: " + before + " -> " + after);
            } else {
                assertTrue(Set.of("web1", "web2").contains(after.get(c)), c + " moved off web3: " + after);
            }
        });
    }

    @Test
    void aFlushedMacMapIsDriftAndIsPutBack() throws Exception {
        // sh: its map has a slot per weight unit, mh's 8191, which takes seconds to list under load.
        List<BackendKey> two = BACKENDS.subList(0, 2);
        settle(desired("sh", two));
        String before = sh("lb", "nft", "list map " + MAP);
        assertTrue(before.contains("elements"), before);
        sh("lb", "nft", "flush map " + MAP);
        assertEquals(List.of(TableChange.SetService.class), plan(desired("sh", two)).stream().map(Object::getClass).toList(),
                "a flushed map is drift");
        settle(desired("sh", two));
        assertEquals(before, sh("lb", "nft", "list map " + MAP));
        assertTrue(Set.of("web1", "web2").containsAll(pick().values()));
    }

    /** Which backend answered one connection from each client address. */
    private Map<String, String> pick() {
        Map<String, String> out = new TreeMap<>();
        for (String c : CLIENTS) {
            String who = get(c, VIP);
            assertTrue(who != null, "a connection from " + c + " through the VIP was answered");
            out.put(c, who);
        }
        return out;
    }

    private static Map<ServiceKey, DesiredService> desired(String scheduler, List<BackendKey> backends) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (BackendKey b : backends) {
            dests.put(b, new BackendSpec(b, Forwarding.DR, 1, 0, 0));
        }
        return Map.of(WEB, new DesiredService(new ServiceSpec(WEB, scheduler, 0, 0, 128), dests));
    }

    /**
     * Reconcile runs, 200 ms apart, until one has nothing left to do after the first second: the
     * first finds no backend MAC yet (the engine solicits them), a later one finds them.
     */
    private void settle(Map<ServiceKey, DesiredService> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<TableChange> ops = plan(want);
            if (ops.isEmpty() && System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(9)) {
                return;
            }
            assertEquals(List.of(), onLb(() -> engine.apply(ops)));
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still changing after 10 s: " + plan(want));
            }
            Thread.sleep(200);
        }
    }

    private List<TableChange> plan(Map<ServiceKey, DesiredService> want) throws Exception {
        return reconciler.plan(want, table(), Set.of(WEB), System.nanoTime(),
                engine.capabilities().options().contains(Capabilities.Option.MIXED_FORWARDING));
    }

    private Map<ServiceKey, ActualService> table() throws Exception {
        return onLb(engine::table);
    }

    private <T> T onLb(Callable<T> task) throws Exception {
        return EngineThread.call(lbThread, task);
    }

    private void v6(String node, String host) throws Exception {
        Lab.sh("ip", "-n", lab.ns(node), "addr", "add", NET6 + host + "/64", "dev", "eth0", "nodad");
    }

    private String sh(String node, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(node)));
        full.addAll(List.of(cmd));
        return Lab.sh(full.toArray(String[]::new));
    }

    private String mac(String node) throws Exception {
        return NftListing.mac(lab.ns(node), "eth0");
    }


    /** The body of GET / from the client (from {@code local}, null: the kernel's choice) to address:80. */
    private String get(String local, String address) {
        return HttpGet.body(lab.ns("client"), local, address, 80, 2000);
    }
}
