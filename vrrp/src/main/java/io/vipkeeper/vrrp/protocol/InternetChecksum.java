package io.vipkeeper.vrrp.protocol;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The RFC 1071 one's-complement checksum and the VRRP pseudo-headers it covers.
 *
 * <p>v2 sums the VRRP message only; v3 adds the IPv4 pseudo-header {src, dst, 0, 112, length}
 * (RFC 9568 §5.2.8) or the IPv6 one {src, dst, u32 length, 0, 0, 0, 112} (RFC 8200 §8.1).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1071">RFC 1071</a>
 */
public final class InternetChecksum {
    /** IP protocol number of VRRP (IANA). */
    public static final int IPPROTO_VRRP = 112;

    private InternetChecksum() {
    }

    /** The checksum of {@code length} bytes of {@code buf} from {@code index}, as v2 uses it. */
    public static int of(ByteBuf buf, int index, int length) {
        return fold(sum(buf, index, length, 0));
    }

    /** The checksum a VRRPv3 message of {@code length} bytes carries between these addresses. */
    public static int v3(ByteBuf buf, int index, int length, InetAddress source, InetAddress destination) {
        return withPseudoHeader(buf, index, length, source, destination, IPPROTO_VRRP);
    }

    /**
     * The checksum of {@code length} bytes of upper-layer {@code protocol} (112 VRRP, 58 ICMPv6)
     * covered by the IPv4 or IPv6 pseudo-header of these addresses.
     */
    public static int withPseudoHeader(ByteBuf buf, int index, int length, InetAddress source,
            InetAddress destination, int protocol) {
        long sum = sum(source.getAddress()) + sum(destination.getAddress());
        if (source instanceof Inet4Address && destination instanceof Inet4Address) {
            sum += protocol + length;
        } else if (source instanceof Inet6Address && destination instanceof Inet6Address) {
            sum += ((length >>> 16) & 0xffff) + (length & 0xffff) + protocol;
        } else {
            throw new IllegalArgumentException("source and destination of different families");
        }
        return fold(sum(buf, index, length, sum));
    }

    private static long sum(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0);
        }
        return sum;
    }

    private static long sum(ByteBuf buf, int index, int length, long initial) {
        long sum = initial;
        int end = index + length;
        int i = index;
        for (; i + 1 < end; i += 2) {
            sum += buf.getUnsignedShort(i);
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
