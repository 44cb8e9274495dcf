package io.vipkeeper.vrrp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vipkeeper.vrrp.protocol.InternetChecksum;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpPacketType;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.InetAddress;

/**
 * Writes a {@link VrrpAdvertisement} as wire bytes with its checksum. Stateless.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-5.1">RFC 9568 §5.1</a>
 */
public final class VrrpEncoder {

    private VrrpEncoder() {
    }

    /**
     * The message bytes; v3 needs the IP source and destination for its pseudo-header checksum.
     */
    public static byte[] encode(VrrpAdvertisement ad, InetAddress source, InetAddress destination) {
        int length = ad.encodedLength();
        ByteBuf buf = Unpooled.buffer(length, length);
        buf.writeByte(ad.version().byteValue() << 4 | VrrpPacketType.ADVERTISEMENT.byteValue());
        buf.writeByte(ad.virtualRouterId());
        buf.writeByte(ad.priority());
        buf.writeByte(ad.addresses().size());
        if (ad.version() == VrrpVersion.V2) {
            buf.writeByte(ad.authType().byteValue());
            buf.writeByte(ad.maxAdverIntervalCentis() / 100);
        } else {
            buf.writeShort(ad.maxAdverIntervalCentis() & 0x0fff);
        }
        buf.writeShort(0);
        for (InetAddress a : ad.addresses()) {
            buf.writeBytes(a.getAddress());
        }
        buf.writeBytes(ad.authData());
        int checksum = ad.version() == VrrpVersion.V2
                ? InternetChecksum.of(buf, 0, length)
                : InternetChecksum.v3(buf, 0, length, source, destination);
        buf.setShort(6, checksum);
        return buf.array();
    }
}
