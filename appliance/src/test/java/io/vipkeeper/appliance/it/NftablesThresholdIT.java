package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection thresholds on the nftables engine, in the NAT lab ({@link NftNatLab}) on
 * 198.18.176.0/24: web1 has upper-threshold 2; with two connections held open to it, it is
 * overloaded and every new connection goes to web2, though its weight stays; once they are closed
 * (and conntrack has let them go) it takes new connections again. Counts and decisions are the
 * engine's runs, driven here by reconcile runs as the daemon drives them.
 */
class NftablesThresholdIT {
    private static final String SUBNET = "198.18.176";
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, ip(SUBNET + ".100"), 80);
    private static final BackendKey WEB1 = new BackendKey(ip(SUBNET + ".11"), 8080);
    private static final BackendKey WEB2 = new BackendKey(ip(SUBNET + ".12"), 8080);

    @TempDir
    Path dir;
    private NftNatLab natLab;
    private Lab lab;
    private final List<Socket> held = new ArrayList<>();

    @BeforeEach
    void lab() throws Exception {
        natLab = NftNatLab.create(dir, SUBNET, 2, 8080);
        lab = natLab.lab();
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (Socket s : held) {
                s.close();
            }
        } finally {
            if (natLab != null) {
                natLab.close(); // JUnit runs this also after a failed @BeforeEach
            }
        }
    }

    @Test
    void anOverloadedBackendGetsNoNewConnectionsUntilItsConnectionsEnd() throws Exception {
        Map<ServiceKey, DesiredService> want = desired(2);
        natLab.engine().reconcile(want, Set.of(WEB));
        // A closed connection stays in conntrack (TIME_WAIT 120 s, CLOSE after a reset 10 s), counted
        // as an inactive one as IPVS counts it: 1 s here, so only the held ones count.
        Lab.sh("ip", "netns", "exec", lab.ns("lb"), "sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_timeout_close=1",
                "net.netfilter.nf_conntrack_tcp_timeout_time_wait=1");
        assertEquals(Set.of("web1", "web2"), spread(2).keySet(), "both take connections below the threshold");
        // rr alternates: four held connections, two on each backend.
        for (int i = 0; i < 4; i++) {
            held.add(NamespaceThreads.call(lab.ns("client"), () -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(SUBNET + ".100", 80), 2000);
                return s;
            }));
        }
        Lab.await(10, "web1 overloaded at 2 open connections", () -> Boolean.TRUE.equals(web1(want).overloaded()));
        ActualBackend web1 = web1(want);
        assertEquals(2, web1.activeConnections(), "its held connections are counted: " + web1);
        assertEquals(1, web1.spec().weight(), "overloaded is not weight 0");
        assertEquals(2, web1.spec().upperThreshold(), "the threshold reads back from the table");
        assertEquals(List.of(), natLab.engine().plan(want, Set.of(WEB)), "an overloaded backend is not drift");
        Boolean adopted = natLab.engine().call(() -> {
            try (NftablesDataPlane fresh = NftablesDataPlane.reader()) {
                return fresh.table().get(WEB).dests().get(WEB1).overloaded();
            }
        });
        assertEquals(Boolean.TRUE, adopted, "another engine (a restarted daemon, nftables list) reads the overload from the table");
        assertEquals(Map.of("web2", 6), spread(6), "new connections all go to web2");

        for (Socket s : held) {
            s.setSoLinger(true, 0); // a reset: conntrack lets it go after the close timeout
            s.close();
        }
        held.clear();
        Lab.await(15, "web1 released once its connections ended", () -> Boolean.FALSE.equals(web1(want).overloaded()));
        assertTrue(spread(4).containsKey("web1"), "web1 takes new connections again");
    }

    /** web1 as the engine reports it after one reconcile run towards {@code want}. */
    private ActualBackend web1(Map<ServiceKey, DesiredService> want) {
        try {
            natLab.engine().reconcile(want, Set.of(WEB));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return natLab.engine().table().get(WEB).dests().get(WEB1);
    }

    /** rr over web1 (upper-threshold {@code upper}, lower 0: 3/4 of it) and web2 (none). */
    private static Map<ServiceKey, DesiredService> desired(int upper) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        dests.put(WEB1, new BackendSpec(WEB1, Forwarding.NAT, 1, upper, 0));
        dests.put(WEB2, new BackendSpec(WEB2, Forwarding.NAT, 1, 0, 0));
        return Map.of(WEB, new DesiredService(new ServiceSpec(WEB, "rr", 0, 0, 0xffffffffL), dests));
    }

    /** Which backend answered each of {@code connections} new connections from the client to the VIP. */
    private Map<String, Integer> spread(int connections) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            String who = WebBackends.get(lab.ns("client"), null, SUBNET + ".100", 80);
            assertTrue(who != null, "connection " + i + " through the VIP was answered");
            seen.merge(who, 1, Integer::sum);
        }
        return seen;
    }
}
