package io.vipkeeper.vrrp.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Writes one netlink message: nlmsghdr, an optional family header (genlmsghdr, ifaddrmsg, ...),
 * then attributes, 4-byte aligned, nests marked NLA_F_NESTED. Host-order fields are
 * little-endian (x86_64); the be* methods write network order.
 */
public final class NetlinkMessageBuilder {
    /** nlmsghdr flags. */
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** nlattr type flag of a nest. */
    public static final int NLA_F_NESTED = 0x8000;

    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    private final Deque<Integer> nests = new ArrayDeque<>();

    /** Starts a message of {@code type} with {@code flags}; seq and pid are set when sent. */
    public NetlinkMessageBuilder(int type, int flags) {
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    }

    /** A generic netlink message: nlmsghdr + genlmsghdr {cmd, version, 0}. */
    public static NetlinkMessageBuilder genl(int family, int flags, int cmd, int version) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(family, flags);
        b.u8(cmd).u8(version).u16(0);
        return b;
    }

    private void ensure(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    /** Raw header bytes (family headers like ifaddrmsg). */
    public NetlinkMessageBuilder u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    /** A host-order u16 in the family header. */
    public NetlinkMessageBuilder u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    /** A host-order u32 in the family header. */
    public NetlinkMessageBuilder u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    private NetlinkMessageBuilder attr(int type, byte[] payload) {
        int len = 4 + payload.length;
        ensure(align(len));
        buf.putShort((short) len).putShort((short) type).put(payload);
        pad();
        return this;
    }

    private void pad() {
        while (buf.position() % 4 != 0) {
            buf.put((byte) 0);
        }
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** Attribute: u8. */
    public NetlinkMessageBuilder attrU8(int type, int v) {
        return attr(type, new byte[] {(byte) v});
    }

    /** Attribute: host-order u16. */
    public NetlinkMessageBuilder attrU16(int type, int v) {
        return attr(type, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array());
    }

    /** Attribute: host-order u32. */
    public NetlinkMessageBuilder attrU32(int type, long v) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    /** Attribute: host-order u64. */
    public NetlinkMessageBuilder attrU64(int type, long v) {
        return attr(type, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    /** Attribute: network-order u16 (ports). */
    public NetlinkMessageBuilder attrBe16(int type, int v) {
        return attr(type, ByteBuffer.allocate(2).putShort((short) v).array());
    }

    /** Attribute: network-order u32. */
    public NetlinkMessageBuilder attrBe32(int type, long v) {
        return attr(type, ByteBuffer.allocate(4).putInt((int) v).array());
    }

    /** Attribute: bytes as given. */
    public NetlinkMessageBuilder attrBytes(int type, byte[] v) {
        return attr(type, v.clone());
    }

    /** Attribute: bytes zero-padded to {@code length} (IPVS addresses are 16 bytes). */
    public NetlinkMessageBuilder attrBytes(int type, byte[] v, int length) {
        return attr(type, Arrays.copyOf(v, length));
    }

    /** Attribute: NUL-terminated string. */
    public NetlinkMessageBuilder attrString(int type, String v) {
        byte[] s = v.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(s, s.length + 1));
    }

    /** Opens a nested attribute; close it with {@link #endNest()}. */
    public NetlinkMessageBuilder beginNest(int type) {
        ensure(4);
        nests.push(buf.position());
        buf.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return this;
    }

    /** Closes the innermost nest, writing its length. */
    public NetlinkMessageBuilder endNest() {
        int start = nests.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The message bytes with {@code seq} (pid 0: the kernel fills it). */
    public byte[] build(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed nest");
        }
        ByteBuffer out = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int len = buf.position();
        out.putInt(0, len);
        out.putInt(8, seq);
        byte[] bytes = new byte[len];
        out.position(0);
        out.get(bytes);
        return bytes;
    }
}
