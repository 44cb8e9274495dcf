package io.vipkeeper.appliance.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NftCounters} against a real nf_tables in a network namespace of its own: counter set
 * elements and named counters written with known counts by nft are read back over netlink as
 * NftTableReader names them, IPv4 and IPv6, a backend without elements (no packet yet) counts 0,
 * the elements of a backend the table no longer has are deleted as strays, and another table's
 * counter of the same name is not taken for the engine's.
 */
class NftCountersIT {
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, NetUtil.createInetAddressFromIpAddressString("198.19.74.100"), 80);
    private static final ServiceKey DNS6 = ServiceKey.of(TransportProtocol.UDP, NetUtil.createInetAddressFromIpAddressString("2001:db8:74::100"), 53);
    private static final BackendKey WEB1 = backend("198.19.74.11", 8080);
    private static final BackendKey WEB2 = backend("198.19.74.12", 8080);
    private static final BackendKey WEB3 = backend("198.19.74.13", 8080);
    private static final BackendKey GONE = backend("198.19.74.19", 8080);
    private static final BackendKey DNS1 = backend("2001:db8:74::11", 5353);

    private final String ns = "vkidlecnt" + Long.toHexString(ProcessHandle.current().pid());

    @BeforeEach
    void namespace() throws Exception {
        sh("ip", "netns", "add", ns);
    }

    @AfterEach
    void cleanUp() throws Exception {
        sh("ip", "netns", "del", ns);
    }

    @Test
    void countsAreReadOverNetlinkAsTheTableListsThem() throws Exception {
        String set4 = "{ type ipv4_addr . inet_proto . ipv4_addr . inet_service; size 1048576; flags dynamic; counter; }";
        String set6 = "{ type ipv6_addr . inet_proto . ipv6_addr . inet_service; size 1048576; flags dynamic; counter; }";
        String script = "table inet vipkeeper_lb {\n"
                + " set count_new4 " + set4 + "\n set count_in4 " + set4 + "\n set count_out4 " + set4 + "\n"
                + " set count_new6 " + set6 + "\n set count_in6 " + set6 + "\n set count_out6 " + set6 + "\n"
                + " counter " + NftLayout.connections(WEB) + " { packets 7 bytes 700 }\n"
                + "}\n"
                // Same name, another table: not the engine's.
                + "table inet other {\n counter " + NftLayout.connections(DNS6) + " { packets 99 bytes 9900 }\n}\n"
                + elements(WEB, WEB1, 3, 30, 300, 20, 2000)
                + elements(WEB, WEB2, 1, 10, 100, 5, 500)
                + elements(DNS6, DNS1, 2, 4, 400, 4, 800)
                // A backend the table no longer has (a flow of it after its delete): a stray.
                + elements(WEB, GONE, 1, 1, 60, 1, 60);
        nft(script);
        Map<ServiceKey, ActualService> table = new LinkedHashMap<>();
        table.put(WEB, service(WEB, WEB1, WEB2, WEB3));
        table.put(DNS6, new ActualService(new ServiceSpec(DNS6, "rr", 0, 0, 128), Map.of(DNS1, zero(DNS1)),
                new TrafficCounters(42, 0, 0, 0, 0)));
        String[] strays = new String[1];
        Map<ServiceKey, ActualService> read = NamespaceThreads.call(ns, () -> {
            try (NftCounters counters = new NftCounters()) {
                Map<ServiceKey, ActualService> counted = counters.recount(table);
                strays[0] = counters.strays(counted);
                return counted;
            }
        });
        assertEquals(new TrafficCounters(3, 30, 20, 300, 2000), read.get(WEB).dests().get(WEB1).stats());
        assertEquals(new TrafficCounters(1, 10, 5, 100, 500), read.get(WEB).dests().get(WEB2).stats());
        assertEquals(TrafficCounters.ZERO, read.get(WEB).dests().get(WEB3).stats(), "no element yet (no packet): 0");
        assertEquals(new TrafficCounters(7, 40, 25, 400, 2500), read.get(WEB).stats(), "connections from the named counter, the rest summed");
        assertEquals(new TrafficCounters(2, 4, 4, 400, 800), read.get(DNS6).dests().get(DNS1).stats());
        assertEquals(42, read.get(DNS6).stats().connections(), "no counter of its own in the engine's table: the count it had");
        assertEquals(List.copyOf(table.keySet()), List.copyOf(read.keySet()));
        for (String set : List.of("count_new4", "count_in4", "count_out4")) {
            String command = " element inet vipkeeper_lb " + set + " { 198.19.74.100 . tcp . 198.19.74.19 . 8080 }\n";
            assertTrue(strays[0].contains("add" + command + "delete" + command), strays[0]);
        }
        assertEquals(6, strays[0].lines().count(), "the gone backend's elements only: " + strays[0]);
        nft(strays[0]);
        assertFalse(nft("list set inet vipkeeper_lb count_in4").contains("198.19.74.19"));
    }

    /** The three counter set elements of {@code b} with the counts given (new packets; in; out). */
    private static String elements(ServiceKey svc, BackendKey b, long fresh, long inPackets, long inBytes, long outPackets,
            long outBytes) {
        String f = svc.ipv6() ? "6" : "4";
        String key = NetUtil.toAddressString(svc.address()) + " . " + NftLayout.protocolName(svc) + " . "
                + NetUtil.toAddressString(b.address()) + " . " + b.port();
        return "add element inet vipkeeper_lb count_new" + f + " { " + key + " counter packets " + fresh + " bytes " + fresh * 60 + " }\n"
                + "add element inet vipkeeper_lb count_in" + f + " { " + key + " counter packets " + inPackets + " bytes " + inBytes + " }\n"
                + "add element inet vipkeeper_lb count_out" + f + " { " + key + " counter packets " + outPackets + " bytes " + outBytes + " }\n";
    }

    private static ActualService service(ServiceKey key, BackendKey... backends) {
        Map<BackendKey, ActualBackend> dests = new LinkedHashMap<>();
        for (BackendKey b : backends) {
            dests.put(b, zero(b));
        }
        return new ActualService(new ServiceSpec(key, "rr", 0, 0, 0xffffffffL), dests, TrafficCounters.ZERO);
    }

    private static ActualBackend zero(BackendKey b) {
        return new ActualBackend(new BackendSpec(b, Forwarding.NAT, 1, 0, 0), 0, 0, 0, TrafficCounters.ZERO);
    }

    private static BackendKey backend(String address, int port) {
        return new BackendKey(NetUtil.createInetAddressFromIpAddressString(address), port);
    }

    private String nft(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("nft -f: " + out + "\n" + script);
        }
        return out;
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
    }
}
