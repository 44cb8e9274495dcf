package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An IPv6 persistent service on {@link NftablesDataPlane} whose whole pool moves to another port
 * by a reload, for real in namespaces (the {@link NftNatLab}: lb, web1 and web2 serving their name
 * on 8080 and "NAME-9090" on 9090, a client), driven through the shared {@link TableReconciler}
 * as the daemon drives it. The engine records an IPv6 client's real server by address only, so
 * its live real servers share one port; the old ones drain on the old port meanwhile.
 */
class NftablesPortMoveIT extends OnNftNatLab {
    private static final String SUBNET = "198.18.192";
    private static final String SIX = "2001:db8:192::";
    private static final ServiceKey WEB6 = ServiceKey.of(TransportProtocol.TCP, ip(SIX + "100"), 80);

    /** Drains outlast the test: the old real servers stay at weight 0 on the old port. */
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(60));

    @Override
    protected String subnet() {
        return SUBNET;
    }

    @Override
    protected void addToLab() throws Exception {
        for (String web : List.of("web1", "web2")) {
            Path root = Files.createDirectories(dir.resolve(web + "-9090"));
            Files.writeString(root.resolve("index.html"), web + "-9090\n");
            lab.own(WebBackends.background(lab.ns(web), null, "busybox", "httpd", "-f", "-p", "9090", "-h",
                    root.toString()));
        }
        nat.six(SIX);
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
            assertEquals(pinned, HttpGet.get(open), "the established connection goes on to the old port");
            assertTrue(reconciler.plan(moved, lb.table(), Set.of(WEB6), System.nanoTime()).stream()
                    .noneMatch(op -> op instanceof TableChange.SetService), "no drift while the old ones drain");
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

    /** Which backend answered each of {@code connections} new connections from {@code local} to the VIP. */
    private Map<String, Integer> spread6(String local, int connections) {
        return spread(local, SIX + "100", connections);
    }
}
