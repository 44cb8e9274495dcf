package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IPv6 persistent service on {@link NftablesDataPlane} whose whole pool moves to another port
 * by a reload, for real in namespaces (the {@link NftNatLab}: lb, web1 and web2 serving their name
 * on 8080 and "NAME-9090" on 9090, a client), driven through the shared {@link TableReconciler}
 * as the daemon drives it. The engine records an IPv6 client's real server by address only, so
 * its live real servers share one port; the old ones drain on the old port meanwhile.
 */
class NftablesPortMoveIT {
    private static final String SUBNET = "198.18.192";
    private static final String SIX = "2001:db8:192::";
    private static final ServiceKey WEB6 = ServiceKey.of(TransportProtocol.TCP, ip(SIX + "100"), 80);

    @TempDir
    Path dir;
    private NftNatLab nat;
    private Lab lab;
    private NftEngineThread lb;
    private DataPlane engine;
    /** Drains outlast the test: the old real servers stay at weight 0 on the old port. */
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(60));

    @BeforeEach
    void lab() throws Exception {
        nat = NftNatLab.create(dir, SUBNET, 2, 8080);
        try {
            lab = nat.lab();
            for (String web : List.of("web1", "web2")) {
                Path root = Files.createDirectories(dir.resolve(web + "-9090"));
                Files.writeString(root.resolve("index.html"), web + "-9090\n");
                lab.own(WebBackends.background(lab.ns(web), null, "busybox", "httpd", "-f", "-p", "9090", "-h",
                        root.toString()));
            }
            six();
            lb = nat.engine();
            engine = lb.engine();
        } catch (Exception | Error e) {
            nat.close();
            throw e;
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        nat.close();
    }

    /**
     * The new real servers are programmed in the run that sets the old ones to weight 0 (they were
     * refused until the old ones had drained: no working real server for up to the drain timeout);
     * a recorded client stays on its real server's address at the new port, an established
     * connection goes on to the old port through conntrack, and the result reads back without
     * drift. The drain that run starts names the connections each old real server had then, counted
     * at the reload's run although the engine would answer from its last read.
     */
    @Test
    void aReloadMovesTheWholePoolToAnotherPortAtOnceAndCountsWhatItDrains() throws Exception {
        reconcile(web6(8080));
        String pinned = only(spread6(SIX + "20", 3));
        lb.table(); // read now: the connection below opens after the engine's last read

        try (Socket open = NamespaceThreads.call(lab.ns("client"), () -> {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(SIX + "20", 0));
            s.connect(new InetSocketAddress(SIX + "100", 80), 2000);
            return s;
        })) {
            open.setSoTimeout(3000);
            Map<ServiceKey, DesiredService> moved = web6(9090);
            onLb(() -> {
                engine.readWholeNext(); // what the daemon asks before a reload's run
                return null;
            });
            List<TableChange> ops = reconciler.plan(moved, lb.table(), Set.of(WEB6), System.nanoTime());
            BackendKey busy = backend("web1".equals(pinned) ? 11 : 12, 8080);
            BackendKey idle = backend("web1".equals(pinned) ? 12 : 11, 8080);
            assertEquals(List.of(), onLb(() -> engine.apply(ops)), "the new port's real servers are not refused");
            assertTrue(ops.contains(new TableChange.SetBackend(WEB6, spec(busy, 1).withWeight(0),
                    "removed, draining 1 active connections")), "the open connection counted: " + ops);
            assertTrue(ops.contains(new TableChange.SetBackend(WEB6, spec(idle, 1).withWeight(0),
                    "removed, draining 0 active connections")), ops.toString());

            assertEquals(Map.of(pinned + "-9090", 3), spread6(SIX + "20", 3), "the recorded client keeps its address, on the new port");
            assertEquals(1, spread6(SIX + "21", 3).size(), "a new client is recorded on the new port");
            assertTrue(only(spread6(SIX + "21", 1)).endsWith("-9090"));
            assertEquals(pinned, get(open), "the established connection goes on to the old port");
            assertTrue(reconciler.plan(moved, lb.table(), Set.of(WEB6), System.nanoTime()).stream()
                    .noneMatch(op -> op instanceof TableChange.SetService), "no drift while the old ones drain");
        }
    }

    /** IPv6 on the lab: lb ::10/64 and the VIP, the webs ::11/::12 on a /124 routed back through lb, the client ::20 and ::21. */
    private void six() throws Exception {
        String lb = lab.ns("lb");
        Lab.sh("ip", "-n", lb, "addr", "add", SIX + "10/64", "dev", "eth0");
        Lab.sh("ip", "-n", lb, "addr", "add", SIX + "100/128", "dev", "eth0");
        Lab.sh("ip", "netns", "exec", lb, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        String client = lab.ns("client");
        for (String a : List.of(SIX + "20/64", SIX + "21/64")) {
            Lab.sh("ip", "-n", client, "addr", "add", a, "dev", "eth0");
        }
        Lab.sh("ip", "-n", client, "route", "add", "default", "via", SIX + "10");
        for (String web : List.of("web1", "web2")) {
            String ns = lab.ns(web);
            // A router's redirect would send the replies straight to the client, around the un-DNAT.
            Lab.sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_redirects=0",
                    "net.ipv6.conf.eth0.accept_redirects=0");
            Lab.sh("ip", "-n", ns, "addr", "add", SIX + "1" + web.charAt(3) + "/124", "dev", "eth0");
            Lab.sh("ip", "-n", ns, "route", "add", "default", "via", SIX + "10");
        }
    }

    private static BackendKey backend(int host, int port) {
        return new BackendKey(ip(SIX + host), port);
    }

    private static BackendSpec spec(BackendKey key, int weight) {
        return new BackendSpec(key, Forwarding.NAT, weight, 0, 0);
    }

    /** rr over web1 and web2 on {@code port}, persistent for 300 s per address. */
    private static Map<ServiceKey, DesiredService> web6(int port) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (int host : List.of(11, 12)) {
            dests.put(backend(host, port), spec(backend(host, port), 1));
        }
        return Map.of(WEB6, new DesiredService(new ServiceSpec(WEB6, "rr", ServiceSpec.PERSISTENT, 300, 128), dests));
    }

    private void reconcile(Map<ServiceKey, DesiredService> want) throws Exception {
        List<TableChange> ops = reconciler.plan(want, lb.table(), Set.of(WEB6), System.nanoTime());
        assertEquals(List.of(), onLb(() -> engine.apply(ops)));
    }

    private <T> T onLb(Callable<T> task) throws Exception {
        return lb.call(task);
    }

    private static String only(Map<String, Integer> spread) {
        assertEquals(1, spread.size(), "one client, one backend: " + spread);
        return spread.keySet().iterator().next();
    }

    /** Which backend answered each of {@code connections} new connections from {@code local} to the VIP. */
    private Map<String, Integer> spread6(String local, int connections) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            String who = HttpGet.body(lab.ns("client"), local, SIX + "100", 80, 2000);
            assertTrue(who != null, "connection " + i + " from " + local + " through the VIP was answered");
            seen.merge(who, 1, Integer::sum);
        }
        return seen;
    }

    /** GET / on a connection opened before: the body. */
    private static String get(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        int body = response.indexOf("\r\n\r\n");
        return body < 0 ? null : response.substring(body + 4).strip();
    }
}
