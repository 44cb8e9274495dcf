package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.pool.TableReconciler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The nftables engine's symhash scheduler for real, in {@link NftNatLab}'s namespaces on
 * 198.18.120.0/24: the kernel takes the rule, connections spread over the backends by their
 * weights, the table reads back as written (no drift), and a hand edit of the selector is put back.
 */
class NftablesSymhashIT extends OnNftNatLab {
    private static final String SUBNET = "198.18.120";
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, ip(SUBNET + ".100"), 80);
    private static final BackendKey WEB1 = new BackendKey(ip(SUBNET + ".11"), 8080);
    private static final BackendKey WEB2 = new BackendKey(ip(SUBNET + ".12"), 8080);
    /** The service's chain: protocol, VIP in hex (198.18.120.100), port. */
    private static final String CHAIN = "svc_tcp_c6127864_80";

    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(1));

    @Override
    protected String subnet() {
        return SUBNET;
    }

    @Test
    void connectionsSpreadByTheFlowHashAndTheTableReadsBackAsWritten() throws Exception {
        Map<ServiceKey, DesiredService> even = web(1, 1);
        reconcile(even);
        assertTrue(rule().contains("dnat ip to symhash mod 2 map @" + CHAIN + "_m"), rule());
        assertEquals(List.of(), plan(even), "the symhash rule reads back as written: no drift");
        assertEquals("symhash", table().get(WEB).spec().scheduler());
        // Each connection has its own source port, so its own flow hash: 20 of them reach both
        // (all on one of two even backends by chance: 1 in 2^19).
        assertEquals(Set.of("web1", "web2"), spread(20).keySet());
        // Weights are slots, as for sh: web2 at 0 has none.
        Map<ServiceKey, DesiredService> one = web(1, 0);
        reconcile(one);
        assertTrue(rule().contains("symhash mod 1 map"), rule());
        assertEquals(Map.of("web1", 6), spread(6));
        assertEquals(List.of(), plan(one));
    }

    @Test
    void aHandEditedSelectorIsDriftAndPutBack() throws Exception {
        Map<ServiceKey, DesiredService> even = web(1, 1);
        reconcile(even);
        String handle = rule().replaceAll("(?s).*symhash mod 2 map @" + CHAIN + "_m .*# handle (\\d+).*", "$1");
        Lab.sh("ip", "netns", "exec", lab.ns("lb"), "nft", "replace rule inet vipkeeper_lb " + CHAIN + " handle " + handle
                + " meta l4proto tcp counter name \"" + CHAIN + "_c\" dnat ip to numgen random mod 2 map @" + CHAIN + "_m"
                + " comment \"vipkeeper sched=symhash flags=0 timeout=0 netmask=4294967295\"");
        assertTrue(rule().contains("numgen random mod 2"), rule());
        assertTrue(table().get(WEB).spec().scheduler().startsWith("symhash (drifted: selector"),
                table().get(WEB).spec().scheduler());
        assertEquals(List.of(TableChange.SetService.class), plan(even).stream().map(Object::getClass).toList());
        reconcile(even);
        assertTrue(rule().contains("dnat ip to symhash mod 2 map @" + CHAIN + "_m"), rule());
        assertEquals(List.of(), plan(even), "repaired");
    }

    /** symhash over web1 and web2 at these weights. */
    private static Map<ServiceKey, DesiredService> web(int weight1, int weight2) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        dests.put(WEB1, new BackendSpec(WEB1, Forwarding.NAT, weight1, 0, 0));
        dests.put(WEB2, new BackendSpec(WEB2, Forwarding.NAT, weight2, 0, 0));
        return Map.of(WEB, new DesiredService(new ServiceSpec(WEB, "symhash", 0, 0, 0xffffffffL), dests));
    }

    private String rule() throws Exception {
        return Lab.sh("ip", "netns", "exec", lab.ns("lb"), "nft", "-a", "list", "chain", "inet", "vipkeeper_lb", CHAIN);
    }

    private void reconcile(Map<ServiceKey, DesiredService> want) throws Exception {
        List<TableChange> ops = plan(want);
        assertEquals(List.of(), onLb(() -> engine.apply(ops)));
    }

    private List<TableChange> plan(Map<ServiceKey, DesiredService> want) {
        return reconciler.plan(want, table(), Set.of(WEB), System.nanoTime());
    }

    private Map<ServiceKey, ActualService> table() {
        return lb.table();
    }

    /** Which backend answered each of {@code connections} new connections from the client to the VIP. */
    private Map<String, Integer> spread(int connections) {
        return spread(null, SUBNET + ".100", connections);
    }
}
