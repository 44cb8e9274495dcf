package io.vipkeeper.vrrp.protocol;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * The 20-byte IPv4 header VRRP sends itself (IP_HDRINCL): keepalived's TOS 0xc0 (network control),
 * TTL 255, no options. The kernel fills the header checksum, and the id when it is zero.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc791#section-3.1">RFC 791 §3.1</a>
 */
public final class Ipv4Header {
    /** Bytes of a header without options. */
    public static final int LENGTH = 20;
    /** DSCP CS6 (network control), as keepalived sends VRRP. */
    public static final int TOS_NETWORK_CONTROL = 0xc0;
    /** RFC 9568 §5.1.1.3: TTL must be 255. */
    public static final int TTL = 255;

    private Ipv4Header() {
    }

    /**
     * A header followed by {@code payload}.
     *
     * @param id identification; 0 lets the kernel choose
     * @param protocol 112 VRRP or 51 AH
     */
    public static byte[] wrap(byte[] payload, Inet4Address source, Inet4Address destination, int id, int protocol) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH + payload.length);
        b.put((byte) 0x45);
        b.put((byte) TOS_NETWORK_CONTROL);
        b.putShort((short) (LENGTH + payload.length));
        b.putShort((short) id);
        b.putShort((short) 0);
        b.put((byte) TTL);
        b.put((byte) protocol);
        b.putShort((short) 0);
        b.put(source.getAddress());
        b.put(destination.getAddress());
        b.put(payload);
        return b.array();
    }
}
