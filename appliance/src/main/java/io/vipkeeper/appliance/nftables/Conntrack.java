package io.vipkeeper.appliance.nftables;

import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection tracking table of the calling thread's network namespace through ctnetlink
 * (NETLINK_NETFILTER, subsystem NFNL_SUBSYS_CTNETLINK; see linux/netfilter/nfnetlink_conntrack.h):
 * a dump of every entry and the deletion of one. What the nftables engine needs where IPVS keeps
 * connections of its own: to count a backend's established flows and to cut them when it is
 * deleted. No conntrack(8) tool is run. Not thread-safe; one per engine.
 */
public final class Conntrack implements AutoCloseable {
    private static final int NETLINK_NETFILTER = 12;
    /** NFNL_SUBSYS_CTNETLINK in the high byte of the message type. */
    private static final int SUBSYS = 1 << 8;
    /** IPCTNL_MSG_CT_NEW: what a dump answers with. */
    static final int MSG_NEW = SUBSYS;
    /** IPCTNL_MSG_CT_GET. */
    private static final int MSG_GET = SUBSYS | 1;
    /** IPCTNL_MSG_CT_DELETE. */
    private static final int MSG_DELETE = SUBSYS | 2;
    /** struct nfgenmsg: family, version, res_id. */
    static final int NFGENMSG_LENGTH = 4;
    /** enum ctattr_type. */
    static final int CTA_TUPLE_ORIG = 1;
    static final int CTA_TUPLE_REPLY = 2;
    static final int CTA_PROTOINFO = 4;
    static final int CTA_ID = 12;
    static final int CTA_ZONE = 18;
    /** enum ctattr_tuple. */
    static final int CTA_TUPLE_IP = 1;
    static final int CTA_TUPLE_PROTO = 2;
    /** enum ctattr_ip. */
    static final int CTA_IP_V4_SRC = 1;
    static final int CTA_IP_V4_DST = 2;
    static final int CTA_IP_V6_SRC = 3;
    static final int CTA_IP_V6_DST = 4;
    /** enum ctattr_l4proto. */
    static final int CTA_PROTO_NUM = 1;
    static final int CTA_PROTO_SRC_PORT = 2;
    static final int CTA_PROTO_DST_PORT = 3;
    /** CTA_PROTOINFO_TCP, and in it CTA_PROTOINFO_TCP_STATE. */
    static final int CTA_PROTOINFO_TCP = 1;
    static final int CTA_PROTOINFO_TCP_STATE = 1;
    /** TCP_CONNTRACK_ESTABLISHED (enum tcp_conntrack). */
    static final int TCP_ESTABLISHED = 3;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    private final NetlinkSocket socket = NetlinkSocket.open(NETLINK_NETFILTER, 0, 5000);

    /** Opens a ctnetlink socket in the calling thread's network namespace. */
    public Conntrack() {
    }

    /**
     * One tracked connection: its original tuple (client to VIP), where the reply comes from (the
     * backend after DNAT), whether TCP calls it established, and the kernel's id and zone.
     */
    public record Flow(int protocol, Tuple original, Tuple reply, boolean established, long id, int zone) {
    }

    /** One direction of a flow: source and destination address and port. */
    public record Tuple(InetAddress src, int srcPort, InetAddress dst, int dstPort) {
    }

    /** Every entry of both families (IPCTNL_MSG_CT_GET, NLM_F_DUMP). */
    public List<Flow> dump() {
        return dump(f -> true);
    }

    /**
     * The entries {@code keep} takes, read as the dump comes: a host tracking hundreds of thousands
     * of connections that are not the balancer's (240,000 filled the daemon's 64 MB heap when all
     * were kept) costs a pass over them, not their memory.
     */
    public List<Flow> dump(java.util.function.Predicate<Flow> keep) {
        int seq = NetlinkSocket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(MSG_GET, NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_DUMP)
                .u8(0).u8(0).u16(0).build(seq);
        List<Flow> flows = new ArrayList<>();
        socket.requestEach(request, seq, "IPCTNL_MSG_CT_GET", m -> {
            Flow f = parse(m);
            if (f != null && keep.test(f)) {
                flows.add(f);
            }
        });
        return flows;
    }

    /** The flow in a dump message, or null when it is not one with ports (ICMP, another message). */
    static Flow parse(NetlinkMessage m) {
        if (m.type() != MSG_NEW) {
            return null;
        }
        NetlinkAttributes a = m.attributes(NFGENMSG_LENGTH);
        if (!a.has(CTA_TUPLE_ORIG) || !a.has(CTA_TUPLE_REPLY)) {
            return null;
        }
        NetlinkAttributes orig = a.nested(CTA_TUPLE_ORIG);
        NetlinkAttributes proto = orig.nested(CTA_TUPLE_PROTO);
        if (!proto.has(CTA_PROTO_SRC_PORT) || !proto.has(CTA_PROTO_DST_PORT)) {
            return null;
        }
        boolean established = false;
        if (a.has(CTA_PROTOINFO)) {
            NetlinkAttributes info = a.nested(CTA_PROTOINFO);
            established = info.has(CTA_PROTOINFO_TCP) && info.nested(CTA_PROTOINFO_TCP).u8(CTA_PROTOINFO_TCP_STATE) == TCP_ESTABLISHED;
        }
        return new Flow(proto.u8(CTA_PROTO_NUM), tuple(orig), tuple(a.nested(CTA_TUPLE_REPLY)), established,
                a.has(CTA_ID) ? a.be32(CTA_ID) : -1, a.has(CTA_ZONE) ? a.be16(CTA_ZONE) : 0);
    }

    private static Tuple tuple(NetlinkAttributes t) {
        NetlinkAttributes ip = t.nested(CTA_TUPLE_IP);
        NetlinkAttributes proto = t.nested(CTA_TUPLE_PROTO);
        boolean v6 = ip.has(CTA_IP_V6_SRC);
        int len = v6 ? 16 : 4;
        return new Tuple(ip.address(v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, len), proto.be16(CTA_PROTO_SRC_PORT),
                ip.address(v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, len), proto.be16(CTA_PROTO_DST_PORT));
    }

    /**
     * Deletes {@code flow} (IPCTNL_MSG_CT_DELETE by original tuple, with its id so a new flow that
     * reuses the tuple stays). False when it was gone already.
     */
    public boolean delete(Flow flow) {
        int seq = NetlinkSocket.nextSeq();
        try {
            socket.request(deleteRequest(flow, seq), seq, "IPCTNL_MSG_CT_DELETE");
            return true;
        } catch (NetlinkException e) {
            if (e.is(Errno.ENOENT)) {
                return false;
            }
            throw e;
        }
    }

    static byte[] deleteRequest(Flow flow, int seq) {
        boolean v6 = flow.original().src().getAddress().length == 16;
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(MSG_DELETE, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_ACK).u8(v6 ? AF_INET6 : AF_INET).u8(0).u16(0);
        b.beginNest(CTA_TUPLE_ORIG);
        b.beginNest(CTA_TUPLE_IP);
        b.attrBytes(v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, flow.original().src().getAddress());
        b.attrBytes(v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, flow.original().dst().getAddress());
        b.endNest();
        b.beginNest(CTA_TUPLE_PROTO);
        b.attrU8(CTA_PROTO_NUM, flow.protocol());
        b.attrBe16(CTA_PROTO_SRC_PORT, flow.original().srcPort());
        b.attrBe16(CTA_PROTO_DST_PORT, flow.original().dstPort());
        b.endNest();
        b.endNest();
        if (flow.id() >= 0) {
            b.attrBe32(CTA_ID, flow.id());
        }
        if (flow.zone() != 0) {
            b.attrBe16(CTA_ZONE, flow.zone());
        }
        return b.build(seq);
    }

    @Override
    public void close() {
        socket.close();
    }
}
