package io.vipkeeper.vrrp.linux.netlink;

import io.vipkeeper.vrrp.linux.Errno;
import java.util.List;

/** Resolves generic netlink families by name (CTRL_CMD_GETFAMILY on GENL_ID_CTRL). */
public final class GenericNetlink {
    /** GENL_ID_CTRL. */
    public static final int ID_CTRL = 0x10;
    static final int CTRL_CMD_GETFAMILY = 3;
    static final int CTRL_ATTR_FAMILY_ID = 1;
    static final int CTRL_ATTR_FAMILY_NAME = 2;
    static final int CTRL_ATTR_VERSION = 3;
    /** Bytes of genlmsghdr. */
    public static final int GENL_HDRLEN = 4;

    private GenericNetlink() {
    }

    /**
     * A resolved family.
     *
     * @param id the message type to send to
     * @param version the family's version
     */
    public record Family(int id, int version) {
    }

    /** The GETFAMILY request for {@code name}. */
    public static byte[] getFamilyRequest(String name, int seq) {
        return NetlinkMessageBuilder.genl(ID_CTRL, NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_ACK,
                CTRL_CMD_GETFAMILY, 1).attrString(CTRL_ATTR_FAMILY_NAME, name).build(seq);
    }

    /**
     * Looks up {@code name}.
     *
     * @throws NetlinkException with a message saying the kernel lacks the family on ENOENT
     */
    public static Family resolve(NetlinkSocket socket, String name) {
        int seq = NetlinkSocket.nextSeq();
        List<NetlinkMessage> replies;
        try {
            replies = socket.request(getFamilyRequest(name, seq), seq, "GETFAMILY " + name);
        } catch (NetlinkException e) {
            if (e.is(Errno.ENOENT)) {
                throw new NetlinkException("generic netlink family " + name + " not available (kernel without "
                        + name + " support, or its module is not loaded)", e.errno());
            }
            throw e;
        }
        if (replies.isEmpty()) {
            throw new NetlinkFormatException("GETFAMILY " + name + ": no reply before the ACK");
        }
        NetlinkAttributes a = replies.get(0).attributes(GENL_HDRLEN);
        return new Family(a.u16(CTRL_ATTR_FAMILY_ID), (int) a.u32(CTRL_ATTR_VERSION));
    }
}
