package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.backend;
import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static io.vipkeeper.appliance.nftables.NftFixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Multiport services: their verdict map entries, chain, and reading the entries back. */
class NftPortsTest {
    static final ServiceKey WEB = ServiceKey.ofPorts(TransportProtocol.TCP, ip("198.18.230.100"), PortList.parse("443,80,8000-8100"));

    @Test
    void eachRangeIsAnEntryOfThePortsMapToTheServicesOneChain() {
        DesiredService svc = service(WEB, "rr", backend("198.18.230.11", 8080, 1));
        String script = NftScript.transaction(Map.of(), Map.of(WEB, svc), List.of(WEB));
        String chain = "svc_tcp_c612e664_p80_443_8000to8100";
        assertEquals(chain, NftLayout.chain(WEB));
        assertTrue(script.contains("add element inet vipkeeper_lb ports4 { 198.18.230.100 . tcp . 80 : goto " + chain
                + ", 198.18.230.100 . tcp . 443 : goto " + chain + ", 198.18.230.100 . tcp . 8000-8100 : goto " + chain + " }\n"), script);
        assertFalse(script.contains("add element inet vipkeeper_lb services4"), script);
        assertTrue(script.contains("add rule inet vipkeeper_lb " + chain + " meta l4proto tcp counter name \"" + chain + "_c\" dnat ip to numgen inc mod 1 map @"
                + chain + "_m comment"), script);
        assertTrue(script.contains("add element inet vipkeeper_lb balanced4 { 198.18.230.100 . tcp }"), "its backends are counted: " + script);
    }

    @Test
    void realServersWithoutAPortKeepThePacketsPortAndAreNotCounted() {
        DesiredService svc = service(WEB, "rr", backend("198.18.230.11", 0, 1), backend("198.18.230.12", 0, 1));
        String script = NftScript.transaction(Map.of(), Map.of(WEB, svc), List.of(WEB));
        assertTrue(script.contains("map @svc_tcp_c612e664_p80_443_8000to8100_ma comment"), script);
        assertTrue(script.contains("_ma { 0 : 198.18.230.11, 1 : 198.18.230.12 }"), script);
        assertFalse(script.contains("element inet vipkeeper_lb count_"), script);
    }

    @Test
    void aLongListNamesItsChainByItsChecksum() {
        StringBuilder ports = new StringBuilder("1");
        for (int p = 3; p < 60; p += 2) {
            ports.append(',').append(p);
        }
        ServiceKey many = ServiceKey.ofPorts(TransportProtocol.UDP, ip("198.18.230.100"), PortList.parse(ports.toString()));
        assertTrue(NftLayout.chain(many).matches("svc_udp_c612e664_l[0-9a-f]{8}"), NftLayout.chain(many));
    }

    @Test
    void entriesReadBackAsTheServiceOnlyWhenTheyMakeUpTheListTheirChainIsNamedAfter() throws Exception {
        String chain = NftLayout.chain(WEB);
        String whole = "{\"elem\": [[{\"concat\": [\"198.18.230.100\", \"tcp\", 80]}, {\"goto\": {\"target\": \"" + chain + "\"}}],"
                + " [{\"concat\": [\"198.18.230.100\", \"tcp\", 443]}, {\"goto\": {\"target\": \"" + chain + "\"}}],"
                + " [{\"concat\": [\"198.18.230.100\", \"tcp\", {\"range\": [8000, 8100]}]}, {\"goto\": {\"target\": \"" + chain + "\"}}]]}";
        ObjectMapper json = new ObjectMapper();
        assertEquals(List.of(Map.entry(WEB, chain)), NftPorts.read(json.readTree(whole), false));
        String oneGone = whole.replace("[{\"concat\": [\"198.18.230.100\", \"tcp\", 443]}, {\"goto\": {\"target\": \"" + chain + "\"}}],", "");
        List<Map.Entry<ServiceKey, String>> read = NftPorts.read(json.readTree(oneGone), false);
        assertEquals(1, read.size());
        assertNull(read.get(0).getKey(), "80 and 8000-8100 are not the list " + chain + " is named after");
    }

    @Test
    void aListIsSortedAndMergedSoOneSetOfPortsHasOneSpelling() {
        assertEquals("80-81,443,8000-8200", PortList.parse("8050-8200,443,81,80,8000-8100").toString());
        assertEquals(ServiceKey.ofPorts(TransportProtocol.TCP, ip("198.18.230.100"), PortList.parse("80,443")),
                ServiceKey.ofPorts(TransportProtocol.TCP, ip("198.18.230.100"), PortList.parse("443,80")));
        assertEquals("TCP  198.18.230.100:80,443,8000-8100", WEB.toString());
        assertEquals("UDP  [2001:db8::1]:53,5353", ServiceKey.ofPorts(TransportProtocol.UDP, ip("2001:db8::1"), PortList.parse("53,5353"))
                .toString());
        assertTrue(PortList.parse("80,8000-8100").overlaps(PortList.parse("8100")));
        assertFalse(PortList.parse("80,8000-8100").overlaps(PortList.parse("81-7999")));
    }
}
