package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.backend;
import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Persistence in the nftables engine's script and table reader. persist-table.json is nft 1.0.6's
 * listing of what the engine wrote for {@link #WEB} (wrr, persistent 300 s per /24, web1 weight 1,
 * web2 weight 2, web3 weight 0), with two elements added as traffic would: 198.18.231.0 to web2
 * and 198.18.232.0 to web1.
 */
class NftPersistenceTest {
    static final ServiceKey WEB = NftFixtures.tcp("198.18.230.100", 80);
    static final ServiceSpec SPEC = new ServiceSpec(WEB, "wrr", ServiceSpec.PERSISTENT, 300, 0xffffff00L);
    private static final String MAP = "svc_tcp_c612e664_80_p";

    private static DesiredService web(int w1, int w2, int w3) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (BackendSpec b : List.of(backend("198.18.230.11", 8080, w1), backend("198.18.230.12", 8080, w2),
                backend("198.18.230.13", 8080, w3))) {
            dests.put(b.key(), b);
        }
        return new DesiredService(SPEC, dests);
    }

    private static String fixture() throws IOException {
        try (InputStream in = NftPersistenceTest.class.getResourceAsStream("persist-table.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The fixture with its top-level objects passed through {@code edit} (which may remove some). */
    private static String edited(Consumer<ArrayNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(fixture());
        edit.accept((ArrayNode) root.get("nftables"));
        return json.writeValueAsString(root);
    }

    private static String scheduler(String json) {
        return NftTableReader.read(json).get(WEB).spec().scheduler();
    }

    @Test
    void aPersistentServiceReadsBackAsWrittenAndTheTrafficsElementsAreNotDrift() throws IOException {
        ActualService web = NftTableReader.read(fixture()).get(WEB);
        assertEquals(SPEC, web.spec());
        assertEquals(List.of(new NftPersistence.Entry("198.18.231.0", new BackendKey(ip("198.18.230.12"), 8080)),
                new NftPersistence.Entry("198.18.232.0", new BackendKey(ip("198.18.230.11"), 8080))),
                NftPersistence.listed(fixture(), MAP, 0));
    }

    @Test
    void anElementPointingToABackendThatTakesNoConnectionsIsDrift() throws IOException {
        String json = edited(all -> all.forEach(o -> {
            if (MAP.equals(o.path("map").path("name").asText())) {
                ((ArrayNode) o.get("map").get("elem").get(1).get(1).get("concat")).set(0, "198.18.230.13");
            }
        }));
        assertTrue(scheduler(json).contains("drifted: persistence entry 198.18.232.0 points to 198.18.230.13:8080"),
                scheduler(json));
    }

    @Test
    void aMissingOrDoubledRecordRuleAndAMissingLookupRuleAreDrift() throws IOException {
        String noRecord = edited(all -> removeIf(all, o -> NftPersistence.CHAIN.equals(o.path("rule").path("chain").asText())));
        assertTrue(scheduler(noRecord).contains("drifted: 0 persistence record rules"), scheduler(noRecord));
        String doubled = edited(all -> {
            for (JsonNode o : all) {
                if (NftPersistence.CHAIN.equals(o.path("rule").path("chain").asText())) {
                    all.add(o.deepCopy());
                    return;
                }
            }
        });
        assertTrue(scheduler(doubled).contains("drifted: "), scheduler(doubled));
        String noLookup = edited(all -> removeIf(all, o -> o.path("rule").path("chain").asText().equals("svc_tcp_c612e664_80")
                && !o.get("rule").has("comment")));
        assertTrue(scheduler(noLookup).contains("drifted: 1 rules in the service chain instead of 2"), scheduler(noLookup));
        String timeout = fixture().replace("timeout 5m", "timeout 6m");
        assertTrue(scheduler(timeout).contains("drifted: 0 persistence record rules"), scheduler(timeout));
    }

    @Test
    void aServiceWithoutPersistenceThatStillHasTheMapIsDrift() throws IOException {
        String json = fixture().replace("flags=1 timeout=300", "flags=0 timeout=0");
        assertTrue(scheduler(json).contains("drifted: 2 rules in the service chain"), scheduler(json));
    }

    @Test
    void forgetDeletesTheElementsOfBackendsThatLeftTheLiveSetAndNoOthers() throws IOException {
        List<NftPersistence.Entry> entries = NftPersistence.listed(fixture(), MAP, 0);
        StringBuilder none = new StringBuilder();
        NftPersistence.forget(none, web(1, 2, 0), entries);
        assertEquals("", none.toString());
        StringBuilder s = new StringBuilder();
        NftPersistence.forget(s, web(1, 0, 0), entries);
        assertEquals("add element inet vipkeeper_lb " + MAP + " { 198.18.231.0 : 198.18.230.12 . 8080 }\n"
                + "delete element inet vipkeeper_lb " + MAP + " { 198.18.231.0 }\n", s.toString());
    }

    @Test
    void theLookupRuleGoesBeforeTheSchedulingRuleAndTheRecordRuleAfterTheMap() {
        String script = NftScript.transaction(Map.of(), Map.of(WEB, web(1, 2, 0)), List.of(WEB));
        int map = script.indexOf("add map inet vipkeeper_lb " + MAP + " { typeof ip saddr : ip daddr . tcp dport; flags dynamic,timeout;");
        int lookup = script.indexOf("add rule inet vipkeeper_lb svc_tcp_c612e664_80 meta l4proto tcp counter name \"svc_tcp_c612e664_80_c\" dnat ip to ip saddr"
                + " & 255.255.255.0 map @" + MAP + "\n");
        int scheduling = script.indexOf("dnat ip to numgen random mod 3 map @svc_tcp_c612e664_80_m");
        int record = script.indexOf("add rule inet vipkeeper_lb persist ct state new ct status dnat meta l4proto tcp ct original ip"
                + " daddr 198.18.230.100 ct original proto-dst 80 update @" + MAP
                + " { ip saddr & 255.255.255.0 timeout 5m : ip daddr . tcp dport }\n");
        assertTrue(map >= 0 && map < lookup && lookup < scheduling && scheduling < record, script);
        assertTrue(script.indexOf("flush chain inet vipkeeper_lb persist") < script.indexOf("svc_tcp_c612e664_80"), script);
    }

    @Test
    void withoutPersistenceTheMapAndTheRecordChainGo() {
        DesiredService plain = new DesiredService(new ServiceSpec(WEB, "wrr", 0, 0, 0xffffffffL), web(1, 1, 0).dests());
        String script = NftScript.transaction(Map.of(WEB, web(1, 1, 0)), Map.of(WEB, plain), List.of(WEB));
        assertTrue(script.contains("delete map inet vipkeeper_lb " + MAP + "\n"), script);
        assertTrue(script.endsWith("delete chain inet vipkeeper_lb persist\n"), script);
        assertFalse(script.contains("update @" + MAP), script);
    }

    @Test
    void aNewGranularityEmptiesTheMap() {
        DesiredService wider = new DesiredService(new ServiceSpec(WEB, "wrr", ServiceSpec.PERSISTENT, 300, 0xffff0000L),
                web(1, 1, 0).dests());
        String script = NftScript.transaction(Map.of(WEB, web(1, 1, 0)), Map.of(WEB, wider), List.of(WEB));
        assertTrue(script.contains("flush map inet vipkeeper_lb " + MAP + "\n"), script);
        assertTrue(script.contains("update @" + MAP + " { ip saddr & 255.255.0.0 timeout 5m"), script);
        String same = NftScript.transaction(Map.of(WEB, web(1, 1, 0)), Map.of(WEB, web(1, 2, 0)), List.of(WEB));
        assertFalse(same.contains("flush map inet vipkeeper_lb " + MAP), same);
    }

    @Test
    void timeoutsAreWrittenAsNftPrintsThem() {
        assertEquals("5m", NftPersistence.duration(300));
        assertEquals("1h1m1s", NftPersistence.duration(3661));
        assertEquals("1d", NftPersistence.duration(86400));
        assertEquals("1m30s", NftPersistence.duration(90));
        assertEquals("ip saddr", NftPersistence.clientKey(new ServiceSpec(WEB, "rr", 1, 1, 0xffffffffL)));
    }

    /**
     * IPv6 records the backend's address only (nft 1.0.6 aborts on an IPv6 address . port value,
     * checked by hand) and the lookup DNATs to the port the real servers share.
     */
    @Test
    void ipv6RecordsTheAddressAndLooksItUpWithTheRealServersPort() {
        ServiceKey six = NftFixtures.tcp("2001:db8:184::100", 80);
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (BackendSpec b : List.of(backend("2001:db8:184::11", 8080, 1), backend("2001:db8:184::12", 8080, 1))) {
            dests.put(b.key(), b);
        }
        DesiredService svc = new DesiredService(new ServiceSpec(six, "rr", ServiceSpec.PERSISTENT, 300, 64), dests);
        String script = NftScript.transaction(Map.of(), Map.of(six, svc), List.of(six));
        String chain = "svc_tcp_20010db8018400000000000000000100_80";
        assertTrue(script.contains("add map inet vipkeeper_lb " + chain + "_p { typeof ip6 saddr : ip6 daddr; flags dynamic,timeout;"),
                script);
        assertTrue(script.contains(" dnat ip6 to ip6 saddr & ffff:ffff:ffff:ffff:: map @" + chain + "_p : 8080\n"), script);
        assertTrue(script.contains("ct original ip6 daddr 2001:db8:184::100 ct original proto-dst 80 update @" + chain
                + "_p { ip6 saddr & ffff:ffff:ffff:ffff:: timeout 5m : ip6 daddr }\n"), script);
        assertEquals("ip6 saddr", NftPersistence.clientKey(new ServiceSpec(six, "rr", 1, 1, 128)));
        assertEquals("ffff:ffff:ffff:ffff:8000::", NftPersistence.mask6(65));
        assertEquals(null, NftPersistence.refusal(svc.spec(), dests.keySet()));
        BackendKey otherPort = backend("2001:db8:184::13", 8081, 1).key();
        assertTrue(NftPersistence.refusal(svc.spec(), List.of(otherPort, dests.keySet().iterator().next())).contains("one port"));
        StringBuilder forget = new StringBuilder();
        NftPersistence.forget(forget, svc, List.of(new NftPersistence.Entry("2001:db8:184:1::", otherPort)));
        assertTrue(forget.toString().contains(" { 2001:db8:184:1:: : 2001:db8:184::13 }\n"), forget.toString());
    }

    /**
     * Only the live real servers (weight above 0) of an IPv6 persistent service must share a port:
     * a pool that moved to another port drains on the old one, and the lookup rule DNATs to the
     * new port, whatever order the table lists them in.
     */
    @Test
    void ipv6PersistenceLooksUpTheLiveRealServersPortWhileTheOldPortDrains() {
        ServiceKey six = NftFixtures.tcp("2001:db8:192::100", 80);
        ServiceSpec spec = new ServiceSpec(six, "rr", ServiceSpec.PERSISTENT, 300, 128);
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (BackendSpec b : List.of(backend("2001:db8:192::11", 8080, 0), backend("2001:db8:192::12", 8080, 0),
                backend("2001:db8:192::11", 9090, 1), backend("2001:db8:192::12", 9090, 1))) {
            dests.put(b.key(), b);
        }
        DesiredService moving = new DesiredService(spec, dests);
        assertEquals(9090, NftPersistence.port(moving));
        assertEquals(null, NftPersistence.refusal(moving));
        String script = NftScript.transaction(Map.of(), Map.of(six, moving), List.of(six));
        assertTrue(script.contains(" map @svc_tcp_20010db8019200000000000000000100_80_p : 9090\n"), script);
        dests.put(backend("2001:db8:192::11", 8080, 1).key(), backend("2001:db8:192::11", 8080, 1));
        assertTrue(NftPersistence.refusal(new DesiredService(spec, dests)).contains("one port"), "two live ports");
        Map<BackendKey, BackendSpec> drained = new LinkedHashMap<>();
        drained.put(backend("2001:db8:192::12", 9090, 0).key(), backend("2001:db8:192::12", 9090, 0));
        drained.put(backend("2001:db8:192::11", 8080, 0).key(), backend("2001:db8:192::11", 8080, 0));
        assertEquals(8080, NftPersistence.port(new DesiredService(spec, drained)), "none live: the lowest, in any order");
    }

    private static void removeIf(ArrayNode all, java.util.function.Predicate<JsonNode> which) {
        for (Iterator<JsonNode> i = all.iterator(); i.hasNext();) {
            if (which.test(i.next())) {
                i.remove();
            }
        }
    }
}
