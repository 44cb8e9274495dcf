package io.vipkeeper.vrrp.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: its header fields and its payload (after the 16-byte nlmsghdr).
 *
 * @param type message type (NLMSG_ERROR 2, NLMSG_DONE 3, or a family's)
 * @param flags nlmsghdr flags
 * @param seq sequence number
 * @param pid port id
 * @param payload bytes after the header
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, byte[] payload) {
    /** NLMSG_NOOP. */
    public static final int NOOP = 1;
    /** NLMSG_ERROR. */
    public static final int ERROR = 2;
    /** NLMSG_DONE. */
    public static final int DONE = 3;
    /** NLMSG_OVERRUN. */
    public static final int OVERRUN = 4;
    /** nlmsghdr length. */
    public static final int HEADER = 16;

    /** Splits one datagram into its messages, checking every length. */
    public static List<NetlinkMessage> parseAll(byte[] datagram, int length) {
        ByteBuffer b = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        List<NetlinkMessage> out = new ArrayList<>();
        int off = 0;
        while (off + HEADER <= length) {
            int len = b.getInt(off);
            // Not off + len > length: a length near 2^31 overflows that sum and passed, allocating 2 GiB.
            if (len < HEADER || len > length - off) {
                throw new NetlinkFormatException("message at " + off + " claims " + len + " bytes of " + (length - off));
            }
            byte[] payload = new byte[len - HEADER];
            System.arraycopy(datagram, off + HEADER, payload, 0, payload.length);
            out.add(new NetlinkMessage(b.getShort(off + 4) & 0xffff, b.getShort(off + 6) & 0xffff, b.getInt(off + 8),
                    b.getInt(off + 12), payload));
            off += NetlinkMessageBuilder.align(len);
        }
        return out;
    }

    /** For NLMSG_ERROR: the error code (0 = ACK, negative errno otherwise). */
    public int errorCode() {
        if (payload.length < 4) {
            throw new NetlinkFormatException("NLMSG_ERROR of " + payload.length + " bytes");
        }
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    /** Attributes after a family header of {@code headerLength} bytes (genl: 4, ifaddrmsg: 8). */
    public NetlinkAttributes attributes(int headerLength) {
        if (payload.length < headerLength) {
            throw new NetlinkFormatException("payload of " + payload.length + " bytes, header needs " + headerLength);
        }
        return NetlinkAttributes.parse(payload, headerLength, payload.length);
    }
}
