package io.vipkeeper.vrrp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vipkeeper.vrrp.protocol.InternetChecksum;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpPacketType;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Format checks of a received VRRP message, one per step, each with its own {@link DropReason}.
 * Stateless; meaning checks (VRID, TTL policy, auth, interval) belong to the router.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-7.1">RFC 9568 §7.1</a>
 */
public final class VrrpDecoder {

    private VrrpDecoder() {
    }

    /** Decodes one message; never throws on bad input. */
    public static DecodeResult decode(InboundPacket packet) {
        return decode(packet, true);
    }

    /**
     * The same, skipping the checksum when the kernel already verified it over a longer payload
     * (IPv6 with an authentication trailer).
     */
    public static DecodeResult decode(InboundPacket packet, boolean verifyChecksum) {
        ByteBuf buf = Unpooled.wrappedBuffer(packet.payload());
        int length = buf.readableBytes();
        if (length < VrrpAdvertisement.HEADER_LENGTH) {
            return drop(packet, DropReason.LENGTH, "truncated: " + length + " bytes");
        }
        int first = buf.getUnsignedByte(0);
        Optional<VrrpVersion> version = VrrpVersion.valueOf(first >>> 4);
        if (version.isEmpty()) {
            return drop(packet, DropReason.VERSION, "version " + (first >>> 4));
        }
        if (VrrpPacketType.valueOf(first & 0x0f).isEmpty()) {
            return drop(packet, DropReason.TYPE, "type " + (first & 0x0f));
        }
        boolean v6 = packet.source() instanceof Inet6Address;
        if (v6 && !version.get().supportsIpv6()) {
            return drop(packet, DropReason.VERSION, "VRRPv2 over IPv6");
        }
        int count = buf.getUnsignedByte(3);
        int addressLength = v6 ? 16 : 4;
        int authLength = version.get() == VrrpVersion.V2 ? VrrpAdvertisement.V2_AUTH_DATA_LENGTH : 0;
        int expected = VrrpAdvertisement.HEADER_LENGTH + count * addressLength + authLength;
        if (length != expected) {
            return drop(packet, DropReason.LENGTH,
                    count + " addresses need " + expected + " bytes, got " + length);
        }
        int checksum = version.get() == VrrpVersion.V2
                ? InternetChecksum.of(buf, 0, length)
                : InternetChecksum.v3(buf, 0, length, packet.source(), packet.destination());
        if (verifyChecksum && checksum != 0) {
            return drop(packet, DropReason.CHECKSUM, String.format("checksum 0x%04x is wrong",
                    buf.getUnsignedShort(6)));
        }
        return parse(packet, buf, version.get(), count, addressLength);
    }

    private static DecodeResult parse(InboundPacket packet, ByteBuf buf, VrrpVersion version, int count,
            int addressLength) {
        int vrid = buf.getUnsignedByte(1);
        if (vrid == 0) {
            return drop(packet, DropReason.UNKNOWN_VRID, "VRID 0");
        }
        int priority = buf.getUnsignedByte(2);
        int intervalCentis;
        V2AuthType authType = V2AuthType.NONE;
        if (version == VrrpVersion.V2) {
            Optional<V2AuthType> type = V2AuthType.valueOf(buf.getUnsignedByte(4));
            if (type.isEmpty()) {
                return drop(packet, DropReason.AUTH_TYPE, "auth type " + buf.getUnsignedByte(4));
            }
            authType = type.get();
            intervalCentis = buf.getUnsignedByte(5) * 100;
        } else {
            intervalCentis = buf.getUnsignedShort(4) & 0x0fff;
        }
        if (intervalCentis == 0) {
            return drop(packet, DropReason.INTERVAL, "advert interval 0");
        }
        List<InetAddress> addresses = new ArrayList<>(count);
        byte[] raw = new byte[addressLength];
        for (int i = 0; i < count; i++) {
            buf.getBytes(VrrpAdvertisement.HEADER_LENGTH + i * addressLength, raw);
            addresses.add(address(raw));
        }
        byte[] authData = new byte[version == VrrpVersion.V2 ? VrrpAdvertisement.V2_AUTH_DATA_LENGTH : 0];
        buf.getBytes(VrrpAdvertisement.HEADER_LENGTH + count * addressLength, authData);
        VrrpAdvertisement ad = new VrrpAdvertisement(version, vrid, priority, intervalCentis, addresses,
                authType, authData);
        return new DecodeResult.Accepted(packet, ad);
    }

    private static InetAddress address(byte[] raw) {
        try {
            // InetAddress.getByAddress would turn an IPv4-mapped address (::ffff:a.b.c.d) into an
            // IPv4 one: an IPv6 advert carrying one then held mixed families and could not be built.
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private static DecodeResult drop(InboundPacket packet, DropReason reason, String detail) {
        return new DecodeResult.Dropped(packet, reason, detail);
    }
}
