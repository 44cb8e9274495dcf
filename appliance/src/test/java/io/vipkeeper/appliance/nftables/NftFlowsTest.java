package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.backend;
import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ctnetlink messages of {@link Conntrack} and the flow bookkeeping of {@link NftFlows}. */
class NftFlowsTest {
    private static final ServiceKey WEB = NftFixtures.tcp("198.18.230.100", 80);
    private static final BackendKey WEB1 = new BackendKey(ip("198.18.230.11"), 8080);
    private static final BackendKey WEB2 = new BackendKey(ip("198.18.230.12"), 8080);

    /** A dump answer (IPCTNL_MSG_CT_NEW) as the kernel writes it: client :40000 to the VIP, DNATed to {@code backend}. */
    private static NetlinkMessage answer(String client, BackendKey backend, int tcpState, long id) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Conntrack.MSG_NEW, NetlinkMessageBuilder.NLM_F_MULTI).u8(2).u8(0).u16(0);
        tuple(b, Conntrack.CTA_TUPLE_ORIG, client, 40000, "198.18.230.100", 80);
        tuple(b, Conntrack.CTA_TUPLE_REPLY, backend.address().getHostAddress(), backend.port(), client, 40000);
        b.beginNest(Conntrack.CTA_PROTOINFO).beginNest(Conntrack.CTA_PROTOINFO_TCP).attrU8(Conntrack.CTA_PROTOINFO_TCP_STATE, tcpState)
                .endNest().endNest();
        b.attrBe32(Conntrack.CTA_ID, id);
        byte[] bytes = b.build(7);
        return NetlinkMessage.parseAll(bytes, bytes.length).get(0);
    }

    private static void tuple(NetlinkMessageBuilder b, int type, String src, int srcPort, String dst, int dstPort) {
        b.beginNest(type).beginNest(Conntrack.CTA_TUPLE_IP).attrBytes(Conntrack.CTA_IP_V4_SRC, ip(src).getAddress())
                .attrBytes(Conntrack.CTA_IP_V4_DST, ip(dst).getAddress()).endNest();
        b.beginNest(Conntrack.CTA_TUPLE_PROTO).attrU8(Conntrack.CTA_PROTO_NUM, 6).attrBe16(Conntrack.CTA_PROTO_SRC_PORT, srcPort)
                .attrBe16(Conntrack.CTA_PROTO_DST_PORT, dstPort).endNest().endNest();
    }

    @Test
    void aDumpAnswerReadsAsTheFlowOfItsServiceAndBackend() {
        Conntrack.Flow f = Conntrack.parse(answer("198.18.230.20", WEB1, Conntrack.TCP_ESTABLISHED, 0xdeadbeefL));
        assertEquals(new Conntrack.Flow(6, new Conntrack.Tuple(ip("198.18.230.20"), 40000, ip("198.18.230.100"), 80),
                new Conntrack.Tuple(ip("198.18.230.11"), 8080, ip("198.18.230.20"), 40000), true, 0xdeadbeefL, 0), f);
        assertTrue(NftFlows.of(f, WEB, WEB1));
        assertFalse(NftFlows.of(f, WEB, WEB2));
        assertFalse(NftFlows.of(f, NftFixtures.tcp("198.18.230.100", 443), WEB1));
    }

    @Test
    void theDeleteRequestNamesTheOriginalTupleAndTheId() {
        Conntrack.Flow f = Conntrack.parse(answer("198.18.230.20", WEB1, Conntrack.TCP_ESTABLISHED, 42));
        byte[] request = Conntrack.deleteRequest(f, 9);
        NetlinkMessage m = NetlinkMessage.parseAll(request, request.length).get(0);
        assertEquals((1 << 8) | 2, m.type(), "IPCTNL_MSG_CT_DELETE");
        NetlinkAttributes a = m.attributes(Conntrack.NFGENMSG_LENGTH);
        assertEquals(42, a.be32(Conntrack.CTA_ID));
        NetlinkAttributes orig = a.nested(Conntrack.CTA_TUPLE_ORIG);
        assertEquals(ip("198.18.230.100"), orig.nested(Conntrack.CTA_TUPLE_IP).address(Conntrack.CTA_IP_V4_DST, 4));
        assertEquals(40000, orig.nested(Conntrack.CTA_TUPLE_PROTO).be16(Conntrack.CTA_PROTO_SRC_PORT));
        assertEquals(ip("198.18.230.20"), orig.nested(Conntrack.CTA_TUPLE_IP).address(Conntrack.CTA_IP_V4_SRC, 4));
        assertEquals(80, orig.nested(Conntrack.CTA_TUPLE_PROTO).be16(Conntrack.CTA_PROTO_DST_PORT));
        assertEquals(6, orig.nested(Conntrack.CTA_TUPLE_PROTO).u8(Conntrack.CTA_PROTO_NUM));
        assertEquals(2, m.payload()[0], "AF_INET");
    }

    @Test
    void eachBackendCountsItsEstablishedFlowsAsActive() {
        List<Conntrack.Flow> flows = List.of(Conntrack.parse(answer("198.18.230.20", WEB1, Conntrack.TCP_ESTABLISHED, 1)),
                Conntrack.parse(answer("198.18.230.21", WEB1, Conntrack.TCP_ESTABLISHED, 2)),
                Conntrack.parse(answer("198.18.230.22", WEB1, 7, 3)), // TIME_WAIT
                Conntrack.parse(answer("198.18.230.23", WEB2, Conntrack.TCP_ESTABLISHED, 4)));
        TrafficCounters none = new TrafficCounters(0, 0, 0, 0, 0);
        Map<ServiceKey, ActualService> table = Map.of(WEB, new ActualService(NftFixtures.spec(WEB, "rr"),
                Map.of(WEB1, new ActualBackend(backend("198.18.230.11", 8080, 0), 0, 0, 0, none),
                        WEB2, new ActualBackend(backend("198.18.230.12", 8080, 1), 0, 0, 0, none)), none));
        Map<BackendKey, ActualBackend> counted = NftFlows.counted(table, flows).get(WEB).dests();
        assertEquals(2, counted.get(WEB1).activeConnections());
        assertEquals(1, counted.get(WEB2).activeConnections());
        assertTrue(NftFlows.draining(table), "web1 is at weight 0");
    }

    @Test
    void theDeletedBackendsAreThoseOfDeletionsTheEngineCarriedOut() {
        TableChange web1 = new TableChange.DelBackend(WEB, WEB1, "removed");
        TableChange web2 = new TableChange.DelBackend(WEB, WEB2, "removed");
        ServiceKey other = NftFixtures.tcp("198.18.230.101", 80);
        TableChange service = new TableChange.DelService(other, "no longer configured");
        Map<ServiceKey, Set<BackendKey>> gone = NftFlows.deleted(List.of(web1, web2, service),
                List.of(new DataPlane.Failure(web2, new IllegalArgumentException("refused"))),
                Map.of(other, NftFixtures.service(other, "rr", backend("198.18.230.13", 80, 1))));
        assertEquals(Map.of(WEB, Set.of(WEB1), other, Set.of(new BackendKey(ip("198.18.230.13"), 80))), gone);
    }

    @Test
    void aMessageWithoutPortsIsNoFlow() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Conntrack.MSG_NEW, 0).u8(2).u8(0).u16(0);
        b.beginNest(Conntrack.CTA_TUPLE_ORIG).beginNest(Conntrack.CTA_TUPLE_IP).endNest().beginNest(Conntrack.CTA_TUPLE_PROTO)
                .attrU8(Conntrack.CTA_PROTO_NUM, 1).endNest().endNest();
        b.beginNest(Conntrack.CTA_TUPLE_REPLY).endNest();
        byte[] bytes = b.build(1);
        assertNull(Conntrack.parse(NetlinkMessage.parseAll(bytes, bytes.length).get(0)));
    }
}
