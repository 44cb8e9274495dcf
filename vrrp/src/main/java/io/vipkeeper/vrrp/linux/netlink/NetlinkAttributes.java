package io.vipkeeper.vrrp.linux.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes of a message or nest by type (last one wins), with typed getters that check
 * lengths. NLA_F_NESTED / NLA_F_NET_BYTEORDER bits are stripped from types.
 */
public final class NetlinkAttributes {
    private static final int TYPE_MASK = 0x3fff;
    private final Map<Integer, byte[]> byType;

    private NetlinkAttributes(Map<Integer, byte[]> byType) {
        this.byType = byType;
    }

    /** Parses attributes in {@code bytes[from, to)}. */
    public static NetlinkAttributes parse(byte[] bytes, int from, int to) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<Integer, byte[]> map = new LinkedHashMap<>();
        int off = from;
        while (off + 4 <= to) {
            int len = b.getShort(off) & 0xffff;
            int type = b.getShort(off + 2) & TYPE_MASK;
            if (len < 4 || off + len > to) {
                throw new NetlinkFormatException("attribute type " + type + " at " + off + " claims " + len
                        + " bytes of " + (to - off));
            }
            map.put(type, Arrays.copyOfRange(bytes, off + 4, off + len));
            off += NetlinkMessageBuilder.align(len);
        }
        return new NetlinkAttributes(map);
    }

    /** Whether the attribute is present. */
    public boolean has(int type) {
        return byType.containsKey(type);
    }

    /** The raw payload, if present. */
    public Optional<byte[]> bytes(int type) {
        return Optional.ofNullable(byType.get(type)).map(byte[]::clone);
    }

    private byte[] need(int type, int minLength) {
        byte[] v = byType.get(type);
        if (v == null) {
            throw new NetlinkFormatException("attribute " + type + " missing");
        }
        if (v.length < minLength) {
            throw new NetlinkFormatException("attribute " + type + " has " + v.length + " bytes, needs " + minLength);
        }
        return v;
    }

    private static ByteBuffer le(byte[] v) {
        return ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** u8. */
    public int u8(int type) {
        return need(type, 1)[0] & 0xff;
    }

    /** Host-order u16. */
    public int u16(int type) {
        return le(need(type, 2)).getShort(0) & 0xffff;
    }

    /** Host-order u32. */
    public long u32(int type) {
        return le(need(type, 4)).getInt(0) & 0xffffffffL;
    }

    /** Host-order u64. */
    public long u64(int type) {
        return le(need(type, 8)).getLong(0);
    }

    /** Network-order u16. */
    public int be16(int type) {
        return ByteBuffer.wrap(need(type, 2)).getShort(0) & 0xffff;
    }

    /** Network-order u32. */
    public long be32(int type) {
        return ByteBuffer.wrap(need(type, 4)).getInt(0) & 0xffffffffL;
    }

    /** A NUL-terminated string. */
    public String string(int type) {
        byte[] v = need(type, 0);
        int end = 0;
        while (end < v.length && v[end] != 0) {
            end++;
        }
        return new String(v, 0, end, StandardCharsets.UTF_8);
    }

    /** An address of {@code length} bytes (4 or 16) from the start of the payload. */
    public InetAddress address(int type, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(need(type, length), length));
        } catch (UnknownHostException e) {
            throw new NetlinkFormatException("bad address length " + length);
        }
    }

    /** The attributes inside a nest. */
    public NetlinkAttributes nested(int type) {
        byte[] v = need(type, 0);
        return parse(v, 0, v.length);
    }

    /** Types present, for diagnostics. */
    public java.util.Set<Integer> types() {
        return byType.keySet();
    }
}
