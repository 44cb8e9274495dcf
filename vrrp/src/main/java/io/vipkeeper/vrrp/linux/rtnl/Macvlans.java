package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;

/**
 * Creates, raises and deletes macvlan links over rtnetlink (RTM_NEWLINK / RTM_DELLINK), as
 * keepalived's vrrp_vmac.c does for use_vmac: a macvlan of a given MAC on a lower link.
 */
public final class Macvlans {
    private static final String KIND = "macvlan";
    private final NetlinkSocket socket;

    /** Changes links through a NETLINK_ROUTE socket. */
    public Macvlans(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** The RTM_NEWLINK that creates macvlan {@code name} on {@code lowerIndex}, down (exposed for byte-vector tests). */
    public static byte[] createRequest(int lowerIndex, String name, byte[] mac, MacvlanMode mode, int seq) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_ACK | NetlinkMessageBuilder.NLM_F_CREATE
                | NetlinkMessageBuilder.NLM_F_EXCL);
        ifinfo(b, 0, 0, 0);
        b.attrString(Rtnl.IFLA_IFNAME, name);
        b.attrU32(Rtnl.IFLA_LINK, lowerIndex);
        b.attrBytes(Rtnl.IFLA_ADDRESS, mac);
        b.beginNest(Rtnl.IFLA_LINKINFO).attrString(Rtnl.IFLA_INFO_KIND, KIND);
        b.beginNest(Rtnl.IFLA_INFO_DATA).attrU32(Rtnl.IFLA_MACVLAN_MODE, mode.value()).endNest();
        b.endNest();
        return b.build(seq);
    }

    /** The RTM_NEWLINK that sets IFF_UP on {@code index}. */
    public static byte[] upRequest(int index, int seq) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_ACK);
        ifinfo(b, index, Rtnl.IFF_UP, Rtnl.IFF_UP);
        return b.build(seq);
    }

    /** The RTM_DELLINK of {@code index}. */
    public static byte[] deleteRequest(int index, int seq) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_DELLINK, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_ACK);
        ifinfo(b, index, 0, 0);
        return b.build(seq);
    }

    /** struct ifinfomsg: family AF_UNSPEC, type 0, index, flags, change mask. */
    private static void ifinfo(NetlinkMessageBuilder b, int index, int flags, int change) {
        b.u8(0).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }

    /** Creates macvlan {@code name} (down) on {@code lowerIndex} with {@code mac}. */
    public void create(int lowerIndex, String name, byte[] mac, MacvlanMode mode) {
        ack(createRequest(lowerIndex, name, mac, mode, NetlinkSocket.nextSeq()), "NEWLINK macvlan " + name);
    }

    /** Sets link {@code index} up. */
    public void up(int index) {
        ack(upRequest(index, NetlinkSocket.nextSeq()), "NEWLINK up " + index);
    }

    /** Deletes link {@code index}; false if it was gone already. */
    public boolean delete(int index) {
        try {
            ack(deleteRequest(index, NetlinkSocket.nextSeq()), "DELLINK " + index);
            return true;
        } catch (NetlinkException e) {
            if (e.is(Errno.ENODEV)) {
                return false;
            }
            throw e;
        }
    }

    private void ack(byte[] message, String what) {
        int seq = java.nio.ByteBuffer.wrap(message).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8);
        int errno = socket.requestAck(message, seq);
        if (errno != 0) {
            throw new NetlinkException(what, errno);
        }
    }
}
