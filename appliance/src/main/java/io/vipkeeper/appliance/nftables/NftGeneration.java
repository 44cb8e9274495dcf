package io.vipkeeper.appliance.nftables;

import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.util.List;

/**
 * The ruleset generation of the calling thread's network namespace: nf_tables counts every
 * committed transaction, of any table, in one 32-bit id (NFT_MSG_GETGEN, what {@code nft monitor}
 * and libnftnl's cache use). While it stands still nothing changed anywhere, so the engine can
 * skip reading its table back: an idle reconcile costs one netlink round trip instead of a JSON
 * dump of every map. Not thread-safe; one per engine.
 */
public final class NftGeneration implements AutoCloseable {
    /** NETLINK_NETFILTER. */
    private static final int NETLINK_NETFILTER = 12;
    /** NFNL_SUBSYS_NFTABLES in the high byte, NFT_MSG_GETGEN in the low. */
    private static final int GETGEN = (10 << 8) | 16;
    /** NFT_MSG_NEWGEN, the answer. */
    private static final int NEWGEN = (10 << 8) | 15;
    /** NFTA_GEN_ID (big-endian u32). */
    private static final int NFTA_GEN_ID = 1;
    /** struct nfgenmsg: family, version, res_id. */
    private static final int NFGENMSG_LENGTH = 4;

    private final NetlinkSocket socket = NetlinkSocket.open(NETLINK_NETFILTER, 0, 5000);

    /** Opens a netfilter netlink socket in the calling thread's network namespace. */
    public NftGeneration() {
    }

    /** The current generation id. */
    public long current() {
        int seq = NetlinkSocket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(GETGEN, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_ACK).u8(0).u8(0).u16(0).build(seq);
        List<NetlinkMessage> replies = socket.request(request, seq, "NFT_MSG_GETGEN");
        for (NetlinkMessage m : replies) {
            if (m.type() == NEWGEN) {
                NetlinkAttributes a = m.attributes(NFGENMSG_LENGTH);
                if (a.has(NFTA_GEN_ID)) {
                    return a.be32(NFTA_GEN_ID);
                }
            }
        }
        throw new NftException("NFT_MSG_GETGEN: no generation id in the kernel's answer");
    }

    @Override
    public void close() {
        socket.close();
    }
}
