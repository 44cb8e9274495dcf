package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Persistence and the drain's end in the nftables engine, for real in namespaces: a balancer (lb,
 * .10) running {@link NftablesDataPlane} through the shared {@link TableReconciler}, two busybox
 * web servers (web1 .11, web2 .12, their name over HTTP on 8080, and a line echo on 9000 that
 * answers "NAME LINE") routed back through the balancer, and a client (.20, .21, and 198.18.237.20
 * on a second /24) that connects through the VIP .100.
 */
class NftablesPersistenceIT extends OnNftNatLab {
    private static final String SUBNET = "198.18.236";
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, ip(SUBNET + ".100"), 80);
    private static final ServiceKey ECHO = ServiceKey.of(TransportProtocol.TCP, ip(SUBNET + ".100"), 9000);
    private static final BackendKey WEB1 = new BackendKey(ip(SUBNET + ".11"), 8080);
    private static final BackendKey WEB2 = new BackendKey(ip(SUBNET + ".12"), 8080);
    private static final BackendKey ECHO1 = new BackendKey(ip(SUBNET + ".11"), 9000);
    private static final BackendKey ECHO2 = new BackendKey(ip(SUBNET + ".12"), 9000);
    private static final String OTHER_NET = "198.18.237.20";
    /** IPv6 on the same links: VIP, web1, web2 on a /124 of their own (routed back through lb), clients on a /64 and another /64. */
    private static final String SIX = "2001:db8:184::";
    private static final ServiceKey WEB6 = ServiceKey.of(TransportProtocol.TCP, ip(SIX + "100"), 80);
    private static final BackendKey WEB61 = new BackendKey(ip(SIX + "11"), 8080);
    private static final BackendKey WEB62 = new BackendKey(ip(SIX + "12"), 8080);
    private static final String OTHER_NET6 = "2001:db8:184:1::20";
    private static final String CHAIN6 = "svc_tcp_20010db8018400000000000000000100_80";

    private TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(1));

    @Override
    protected String subnet() {
        return SUBNET;
    }

    @Override
    protected void addToLab() throws Exception {
        Lab.sh("ip", "-n", lab.ns("lb"), "addr", "add", "198.18.237.1/24", "dev", "eth0");
        Lab.sh("ip", "-n", lab.ns("client"), "addr", "add", SUBNET + ".21/24", "dev", "eth0");
        Lab.sh("ip", "-n", lab.ns("client"), "addr", "add", OTHER_NET + "/24", "dev", "eth0");
        for (String web : List.of("web1", "web2")) {
            echo(web, ip(SUBNET + ".1" + web.charAt(3)));
        }
    }

    @Test
    void aPersistentServiceKeepsEachClientOnItsBackendAndItsRecordsAreNotDrift() throws Exception {
        Map<ServiceKey, DesiredService> want = web(0xffffffffL, 1, 1);
        reconcile(want);
        String first = only(spread(SUBNET + ".20", 6));
        String second = only(spread(SUBNET + ".21", 6));
        assertNotEquals(first, second, "rr gives the second client the other backend, and persistence keeps each on its own");
        assertEquals(List.of(), plan(want), "the records the traffic wrote are not drift");
        // Per /24: both addresses are one client, the other network another.
        Map<ServiceKey, DesiredService> perNet = web(0xffffff00L, 1, 1);
        reconcile(perNet);
        String net = only(spread(SUBNET + ".20", 3));
        assertEquals(Map.of(net, 3), spread(SUBNET + ".21", 3));
        assertEquals(1, spread(OTHER_NET, 4).size());
        assertEquals(List.of(), plan(perNet));
        assertEquals(12 + 10, table().get(WEB).stats().connections(),
                "each connection once, recorded or not, the 12 from before the rewrite kept (a counter never goes back)");
        // nft 1.0.6 has no JSON for the record rule and says so on C's stderr at every listing, unless silenced.
        try (JarProcess list = JarProcess.startIn(lab.ns("lb"), dir, "nftables", "list")) {
            assertEquals(0, list.waitFor(), list.err());
            assertTrue(list.out().contains("TCP  198.18.236.100:80 rr persistent 300 mask 255.255.255.0\n"), list.out());
            assertFalse(list.err().contains("no json callback"), list.err());
        }
    }

    @Test
    void aBackendThatTakesNoNewConnectionsLosesItsClientsInTheSameTransaction() throws Exception {
        reconcile(web(0xffffffffL, 1, 1));
        String pinned = only(spread(SUBNET + ".20", 3));
        Map<ServiceKey, DesiredService> without = "web1".equals(pinned) ? web(0xffffffffL, 0, 1) : web(0xffffffffL, 1, 0);
        reconcile(without);
        String other = "web1".equals(pinned) ? "web2" : "web1";
        assertEquals(Map.of(other, 3), spread(SUBNET + ".20", 3), "the record of the backend at weight 0 went with it");
        assertEquals(List.of(), plan(without));
        reconcile(web(0xffffffffL, 1, 1));
        assertEquals(Map.of(other, 3), spread(SUBNET + ".20", 3), "the client stays where it was recorded since");
    }

    @Test
    void handEditsOfThePersistenceArePutBack() throws Exception {
        Map<ServiceKey, DesiredService> want = web(0xffffffffL, 1, 0);
        reconcile(want);
        assertEquals(Map.of("web1", 2), spread(SUBNET + ".20", 2));
        for (String edit : List.of("flush chain inet vipkeeper_lb persist",
                "add element inet vipkeeper_lb svc_tcp_c612ec64_80_p { 198.18.236.21 : 198.18.236.12 . 8080 }",
                "delete rule inet vipkeeper_lb svc_tcp_c612ec64_80 handle ")) {
            nft(edit.endsWith("handle ") ? edit + firstRuleHandle() : edit);
            assertEquals(List.of(TableChange.SetService.class), plan(want).stream().map(Object::getClass).toList(), edit + " is drift");
            reconcile(want);
            assertEquals(List.of(), plan(want), "after repairing " + edit);
        }
        assertEquals(Map.of("web1", 2), spread(SUBNET + ".21", 2), "the hand-made record to web2 (weight 0) is gone");
        assertTrue(nft("list chain inet vipkeeper_lb persist").contains("update @svc_tcp_c612ec64_80_p"), "recording again");
    }

    /**
     * IPv6 persistence records the backend's address only (nft 1.0.6 aborts on an IPv6 address .
     * port value) and DNATs to the port the real servers share: each client stays on its backend,
     * per /64 as configured, the records are not drift, a backend at weight 0 loses its clients,
     * a record expires after the timeout, and a real server on another port is refused.
     */
    @Test
    void anIpv6ClientStaysOnItsBackendUntilItsRecordExpiresOrItsBackendLeaves() throws Exception {
        six();
        Map<ServiceKey, DesiredService> want = web6(128, 300, 1, 1);
        reconcile(want);
        String first = only(spread6(SIX + "20", 6));
        String second = only(spread6(SIX + "21", 6));
        assertNotEquals(first, second, "rr gives the second client the other backend, and persistence keeps each on its own");
        assertEquals(List.of(), plan(want), "the IPv6 records the traffic wrote are not drift");
        assertTrue(nft("list map inet vipkeeper_lb " + CHAIN6 + "_p").contains(SIX + "20 "), "recorded by address");

        // Per /64: both addresses of the first network are one client, the other network another.
        Map<ServiceKey, DesiredService> perNet = web6(64, 300, 1, 1);
        reconcile(perNet);
        String net = only(spread6(SIX + "20", 3));
        assertEquals(Map.of(net, 3), spread6(SIX + "21", 3));
        assertEquals(1, spread6(OTHER_NET6, 4).size());
        assertEquals(List.of(), plan(perNet));
        assertTrue(nft("list map inet vipkeeper_lb " + CHAIN6 + "_p").contains(SIX + " "), "the /64's record: " + SIX);

        // Weight 0: the record of its clients goes in the same transaction.
        Map<ServiceKey, DesiredService> without = "web1".equals(net) ? web6(64, 300, 0, 1) : web6(64, 300, 1, 0);
        reconcile(without);
        String other = "web1".equals(net) ? "web2" : "web1";
        assertEquals(Map.of(other, 3), spread6(SIX + "20", 3), "the record of the backend at weight 0 went with it");
        assertEquals(List.of(), plan(without));

        // A short timeout: recorded clients skip the scheduling rule until their record expires.
        Map<ServiceKey, DesiredService> brief = web6(128, 3, 1, 1);
        reconcile(brief);
        only(spread6(SIX + "20", 1));
        long scheduled = scheduled6();
        only(spread6(SIX + "20", 3));
        assertEquals(scheduled, scheduled6(), "a recorded client is not scheduled again");
        Lab.await(15, 200, "the record expired", () -> {
            try {
                return !nft("list map inet vipkeeper_lb " + CHAIN6 + "_p").contains(SIX + "20 ");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        only(spread6(SIX + "20", 3));
        assertEquals(scheduled + 1, scheduled6(), "after the timeout the client is scheduled once, then recorded again");

        // One port only: a real server on another one is refused, and nothing else changes.
        BackendKey otherPort = new BackendKey(ip(SIX + "13"), 8081);
        List<DataPlane.Failure> refused = onLb(() -> engine.apply(List.of(new TableChange.NewBackend(WEB6, backend(otherPort, 1), "test"))));
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).error().getMessage().contains("IPv6 persistence only for real servers on one port"),
                refused.get(0).error().getMessage());
        assertEquals(List.of(), plan(brief));
    }

    /** IPv6 on the lab ({@link NftNatLab#six}), and another /64: lb ::1 of it, the client ::20 of it. */
    private void six() throws Exception {
        nat.six(SIX);
        Lab.sh("ip", "-n", lab.ns("lb"), "addr", "add", "2001:db8:184:1::1/64", "dev", "eth0");
        Lab.sh("ip", "-n", lab.ns("client"), "addr", "add", OTHER_NET6 + "/64", "dev", "eth0");
    }

    /** rr over the IPv6 web1 and web2 at these weights, persistent for {@code timeout} s per /{@code prefix}. */
    private static Map<ServiceKey, DesiredService> web6(int prefix, int timeout, int weight1, int weight2) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        dests.put(WEB61, backend(WEB61, weight1));
        dests.put(WEB62, backend(WEB62, weight2));
        return Map.of(WEB6, new DesiredService(new ServiceSpec(WEB6, "rr", ServiceSpec.PERSISTENT, timeout, prefix), dests));
    }

    /** The connections the IPv6 service's scheduling rule (its last) has scheduled: those no record took. */
    private long scheduled6() throws Exception {
        String chain = nft("list chain inet vipkeeper_lb " + CHAIN6);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+) bytes \\d+ dnat ip6 to numgen").matcher(chain);
        assertTrue(m.find(), chain);
        return Long.parseLong(m.group(1));
    }

    /** Which backend answered each of {@code connections} new connections from {@code local} to the IPv6 VIP. */
    private Map<String, Integer> spread6(String local, int connections) {
        return spread(local, SIX + "100", connections);
    }

    private String firstRuleHandle() throws Exception {
        String chain = Lab.sh("ip", "netns", "exec", lab.ns("lb"), "nft", "-a", "list", "chain", "inet", "vipkeeper_lb",
                "svc_tcp_c612ec64_80");
        return chain.replaceAll("(?s).*?map @svc_tcp_c612ec64_80_p # handle (\\d+).*", "$1");
    }

    /**
     * A flow stays up through the drain (weight 0, counted as active so the drain waits past its
     * two-second grace) and is cut when the drain timeout deletes its backend: its next packet
     * finds no conntrack entry, goes to the remaining backend as a stray segment and is reset.
     */
    @Test
    void anEstablishedConnectionWorksThroughTheDrainAndIsCutWhenItsBackendIsDeleted() throws Exception {
        reconciler = new TableReconciler(Duration.ofSeconds(4));
        Map<BackendKey, BackendSpec> both = new LinkedHashMap<>();
        both.put(ECHO1, backend(ECHO1, 1));
        both.put(ECHO2, backend(ECHO2, 1));
        reconcile(Map.of(ECHO, new DesiredService(new ServiceSpec(ECHO, "rr", 0, 0, 0xffffffffL), both)));
        try (Socket s = NamespaceThreads.call(lab.ns("client"), () -> new Socket(SUBNET + ".100", 9000))) {
            s.setSoTimeout(3000);
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out.println("hello");
            String who = in.readLine().split(" ")[0];
            BackendKey mine = "web1".equals(who) ? ECHO1 : ECHO2;
            BackendKey other = mine == ECHO1 ? ECHO2 : ECHO1;
            Map<ServiceKey, DesiredService> rest = Map.of(ECHO, new DesiredService(new ServiceSpec(ECHO, "rr", 0, 0, 0xffffffffL),
                    Map.of(other, backend(other, 1))));
            reconcile(rest);
            assertEquals(0, table().get(ECHO).dests().get(mine).spec().weight(), "draining");
            long start = System.nanoTime();
            int echoes = 0;
            while (System.nanoTime() - start < 3_000_000_000L) {
                reconcile(rest);
                assertTrue(table().get(ECHO).dests().containsKey(mine), "an active flow holds the drain past its grace");
                assertEquals(1, table().get(ECHO).dests().get(mine).activeConnections());
                out.println("still " + echoes);
                assertEquals(who + " still " + echoes, in.readLine(), "the flow goes on while it drains");
                echoes++;
                Thread.sleep(250);
            }
            Lab.await(5, "deleted at the drain timeout", () -> {
                reconcileUnchecked(rest);
                return !table().get(ECHO).dests().containsKey(mine);
            });
            assertThrows(IOException.class, () -> {
                out.println("after");
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("closed");
                }
                fail("the flow went on after its backend was deleted: " + line);
            });
        }
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    /** A line echo on address:9000 in the web's namespace that prefixes each line with the web's name. */
    private void echo(String web, InetAddress address) throws Exception {
        ServerSocket server = NamespaceThreads.call(lab.ns(web), () -> new ServerSocket(9000, 50, address));
        lab.own(server::close);
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket c = server.accept();
                    Thread h = new Thread(() -> {
                        try (c) {
                            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
                            PrintWriter out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.US_ASCII);
                            for (String line; (line = in.readLine()) != null;) {
                                out.println(web + " " + line);
                            }
                        } catch (IOException gone) {
                            // the client went
                        }
                    });
                    h.setDaemon(true);
                    h.start();
                }
            } catch (IOException closed) {
                // the lab closed it
            }
        }, "echo-" + web);
        t.setDaemon(true);
        t.start();
    }

    /** rr over web1 and web2 at these weights, persistent for 300 s per {@code netmask}. */
    private static Map<ServiceKey, DesiredService> web(long netmask, int weight1, int weight2) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        dests.put(WEB1, backend(WEB1, weight1));
        dests.put(WEB2, backend(WEB2, weight2));
        return Map.of(WEB, new DesiredService(new ServiceSpec(WEB, "rr", ServiceSpec.PERSISTENT, 300, netmask), dests));
    }

    private static BackendSpec backend(BackendKey key, int weight) {
        return new BackendSpec(key, Forwarding.NAT, weight, 0, 0);
    }

    /** Which backend answered each of {@code connections} new connections from {@code local} to the VIP. */
    private Map<String, Integer> spread(String local, int connections) {
        return spread(local, SUBNET + ".100", connections);
    }

    private void reconcile(Map<ServiceKey, DesiredService> want) throws Exception {
        List<TableChange> ops = plan(want);
        assertEquals(List.of(), onLb(() -> engine.apply(ops)));
    }

    private void reconcileUnchecked(Map<ServiceKey, DesiredService> want) {
        try {
            reconcile(want);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<TableChange> plan(Map<ServiceKey, DesiredService> want) throws Exception {
        return reconciler.plan(want, table(), Set.of(WEB, ECHO, WEB6), System.nanoTime());
    }

    private Map<ServiceKey, ActualService> table() {
        return lb.table();
    }

    private String nft(String command) throws Exception {
        return Lab.sh("ip", "netns", "exec", lab.ns("lb"), "nft", command);
    }
}
