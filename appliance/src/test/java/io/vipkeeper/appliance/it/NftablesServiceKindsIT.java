package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * Firewall-mark, multiport and SCTP services of the nftables engine on the host kernel, in
 * namespaces: a balancer (lb, .10) whose own rule marks what the client (.20) sends to the VIP
 * .100, and two busybox web servers (.11, .12) answering their name on 8080 and 8443, routed back
 * through the balancer (a /28 that leaves the client out), as in {@link NftablesDataPlaneIT}.
 */
class NftablesServiceKindsIT {
    private static final String SUBNET = "198.18.236";
    private static final String VIP = SUBNET + ".100";
    private static final ServiceKey MARK7 = ServiceKey.ofFwmark(7, false);

    @TempDir
    Path dir;
    private NftNatLab natLab;
    private Lab lab;
    private NftEngineThread lb;

    @BeforeEach
    void lab() throws Exception {
        natLab = NftNatLab.create(dir, SUBNET, 2, 8080, 8443);
        lab = natLab.lab();
        lb = natLab.engine();
        // The operator's marking, at mangle priority: before the engine's dstnat lookup.
        nft("add table inet marking; add chain inet marking pre { type filter hook prerouting priority mangle; }; "
                + "add rule inet marking pre ip daddr " + VIP + " tcp dport { 80, 443 } meta mark set 7; "
                + "add rule inet marking pre ip daddr " + VIP + " tcp dport { 8080, 8443 } meta mark set 8");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (natLab != null) {
            natLab.close(); // JUnit runs this also after a failed @BeforeEach
        }
    }

    @Test
    void packetsCarryingTheMarkAreBalancedToTheRealServersPortWhateverPortTheyWereFor() throws Exception {
        Map<ServiceKey, DesiredService> want = service(MARK7, "rr", 8080);
        reconcile(want);
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4));
        assertEquals(Map.of("web1", 2, "web2", 2), spread(443, 4), "443 carries the mark too");
        assertNull(get(VIP, 81), "an unmarked port of the VIP is not balanced");
        ActualService read = table().get(MARK7);
        assertEquals(want.get(MARK7).spec(), read.spec());
        assertEquals(want.get(MARK7).dests().keySet(), read.dests().keySet());
        assertEquals(List.of(), plan(want), "read back as written");
    }

    @Test
    void realServersWithoutAPortGetThePortThePacketWasFor() throws Exception {
        ServiceKey mark8 = ServiceKey.ofFwmark(8, false);
        Map<ServiceKey, DesiredService> want = service(mark8, "wrr", 0);
        reconcile(want);
        assertEquals(Set.of("web1", "web2"), spread(8080, 12).keySet());
        assertEquals(Set.of("web1", "web2"), spread(8443, 12).keySet());
        assertEquals(List.of(), plan(want), "read back as written");
    }

    @Test
    void handEditsOfAMarkServiceAreSeenAndPutBack() throws Exception {
        Map<ServiceKey, DesiredService> want = service(MARK7, "rr", 8080);
        for (String edit : List.of("delete element inet vipkeeper_lb marks4 { 7 }", "flush map inet vipkeeper_lb svc_fwm4_7_m",
                "flush map inet vipkeeper_lb marks4", "flush chain inet vipkeeper_lb prerouting")) {
            reconcile(want);
            nft(edit);
            assertTrue(!plan(want).isEmpty(), edit + " is seen");
            reconcile(want);
            assertEquals(List.of(), plan(want), edit + " is put back");
            assertEquals(Map.of("web1", 1, "web2", 1), spread(80, 2), "balanced again after " + edit);
        }
    }

    @Test
    void anSctpAssociationsInitIsBalancedAndReadBack() throws Exception {
        // This host's kernel has no SCTP sockets (no /proc/net/sctp), so no association completes:
        // a hand-made INIT from a raw socket shows where the balancer sends a new one.
        ServiceKey sctp = ServiceKey.of(TransportProtocol.SCTP, InetAddress.getByName(VIP), 2905);
        Map<ServiceKey, DesiredService> want = service(sctp, "rr", 3905);
        reconcile(want);
        assertEquals(want.get(sctp).spec(), table().get(sctp).spec());
        assertEquals(List.of(), plan(want));
        try (SctpInit client = SctpInit.open(lab.ns("client")); SctpInit web1 = SctpInit.open(lab.ns("web1"));
                SctpInit web2 = SctpInit.open(lab.ns("web2"))) {
            client.send(40001, new InetSocketAddress(VIP, 2905));
            client.send(40002, new InetSocketAddress(VIP, 2905));
            assertEquals(new InetSocketAddress(SUBNET + ".11", 3905), web1.receive(), "one INIT to web1's port");
            assertEquals(new InetSocketAddress(SUBNET + ".12", 3905), web2.receive(), "the next to web2's");
        }
        String listed = nft("list counter inet vipkeeper_lb svc_sctp_c612ec64_2905_c");
        assertTrue(listed.contains("packets 2 "), listed);
        assertTrue(nft("list map inet vipkeeper_lb services4").contains(VIP + " . sctp . 2905 : goto svc_sctp_c612ec64_2905"));
    }

    @Test
    void aPortListServiceBalancesEachOfItsPortsAndKeepsThePortWhereRealServersHaveNone() throws Exception {
        ServiceKey web = ServiceKey.ofPorts(TransportProtocol.TCP, InetAddress.getByName(VIP), PortList.parse("80,443"));
        reconcile(service(web, "rr", 8080));
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4));
        assertEquals(Map.of("web1", 2, "web2", 2), spread(443, 4));
        assertNull(get(VIP, 81), "a port off the list is not balanced");
        assertEquals(List.of(), plan(service(web, "rr", 8080)), "read back as written");
        ServiceKey kept = ServiceKey.ofPorts(TransportProtocol.TCP, InetAddress.getByName(VIP), PortList.parse("8000-8100,8443"));
        Map<ServiceKey, DesiredService> both = new LinkedHashMap<>(service(web, "rr", 8080));
        both.putAll(service(kept, "rr", 0));
        reconcile(both);
        assertEquals(Map.of("web1", 1, "web2", 1), spread(8080, 2), "8080 is in 8000-8100");
        assertEquals(Map.of("web1", 1, "web2", 1), spread(8443, 2));
        assertEquals(List.of(), plan(both));
        // A range deleted by hand reads as an entry vipkeeper did not write: the map is put back whole.
        nft("delete element inet vipkeeper_lb ports4 { " + VIP + " . tcp . 8000-8100 }");
        assertNull(get(VIP, 8080));
        reconcile(both);
        assertEquals(List.of(), plan(both));
        assertEquals(Map.of("web1", 1, "web2", 1), spread(8080, 2));
    }

    @Test
    void nftablesListNamesMarkAndPortListServices() throws Exception {
        ServiceKey web = ServiceKey.ofPorts(TransportProtocol.TCP, InetAddress.getByName(VIP), PortList.parse("80,443"));
        Map<ServiceKey, DesiredService> both = new LinkedHashMap<>(service(web, "rr", 8080));
        both.putAll(service(MARK7, "wrr", 0));
        reconcile(both);
        try (JarProcess list = JarProcess.startIn(lab.ns("lb"), dir, "nftables", "list")) {
            assertEquals(0, list.waitFor(), list.err());
            assertEquals("nftables engine, table inet vipkeeper_lb\n"
                    + "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                    + "TCP  198.18.236.100:80,443 rr\n"
                    + "  -> 198.18.236.11:8080           Masq    1      0          0         \n"
                    + "  -> 198.18.236.12:8080           Masq    1      0          0         \n"
                    + "FWM  7 wrr\n"
                    + "  -> 198.18.236.11:0              Masq    1      0          0         \n"
                    + "  -> 198.18.236.12:0              Masq    1      0          0         \n", list.out());
        }
        try (JarProcess json = JarProcess.startIn(lab.ns("lb"), dir, "nftables", "list", "--json")) {
            assertEquals(0, json.waitFor(), json.err());
            List<String> services = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("services")
                    .forEach(x -> services.add(x.has("fwmark") ? "fwmark " + x.get("fwmark") : "ports " + x.get("ports").asText()));
            assertEquals(Set.of("fwmark 7", "ports 80,443"), Set.copyOf(services), json.out());
        }
    }

    /** One service over web1 and web2 at {@code port}, weight 1 each. */
    private static Map<ServiceKey, DesiredService> service(ServiceKey key, String scheduler, int port) throws Exception {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (int i = 1; i <= 2; i++) {
            BackendKey b = new BackendKey(InetAddress.getByName(SUBNET + ".1" + i), port);
            dests.put(b, new BackendSpec(b, Forwarding.NAT, 1, 0, 0));
        }
        return Map.of(key, new DesiredService(new ServiceSpec(key, scheduler, 0, 0, 0xffffffffL), dests));
    }

    private void reconcile(Map<ServiceKey, DesiredService> want) throws Exception {
        lb.reconcile(want, Set.of());
    }

    private List<TableChange> plan(Map<ServiceKey, DesiredService> want) {
        return lb.plan(want, Set.of());
    }

    private Map<ServiceKey, ActualService> table() {
        return lb.table();
    }

    private String nft(String command) throws Exception {
        return Lab.sh("ip", "netns", "exec", lab.ns("lb"), "nft", command);
    }

    /** Which backend answered each of {@code connections} new connections from the client to VIP:port. */
    private Map<String, Integer> spread(int port, int connections) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            String who = get(VIP, port);
            assertTrue(who != null, "connection " + i + " to port " + port + " through the VIP was answered");
            seen.merge(who, 1, Integer::sum);
        }
        return seen;
    }

    /** The body of GET / from the client to address:port, or null when nothing answers. */
    private String get(String address, int port) {
        return WebBackends.get(lab.ns("client"), null, address, port);
    }
}
