package io.vipkeeper.vrrp.protocol;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * VRRPv2 IPsec AH authentication as keepalived does it (RFC 2338 §5.3.6.3 with RFC 2402): IP
 * (protocol 51) + a 24-byte AH header + the VRRP message, with a 96-bit HMAC-MD5 ICV keyed by the
 * 8-byte zero-padded password over the IP header (TOS, fragment offset, checksum and, for unicast,
 * TTL zeroed), the AH header with a zero ICV, and the VRRP message. SPI = the sender's address.
 */
public final class IpsecAh {
    /** IP protocol number of AH. */
    public static final int IPPROTO_AH = 51;
    /** Bytes of the AH header with a 96-bit ICV. */
    public static final int HEADER_LENGTH = 24;
    /** AH payload length field: (12 + 12) / 4 - 2 (RFC 2402 §2.2). */
    static final int PAYLOAD_LEN = 4;
    static final int ICV_LENGTH = 12;

    private IpsecAh() {
    }

    /** Why a received AH packet was refused, or OK. */
    public enum Check {
        /** Valid: ICV, SPI and next header agree. */
        OK,
        /** Too short, or not VRRP inside. */
        MALFORMED,
        /** The ICV does not verify: wrong password or a modified packet. */
        BAD_ICV,
        /** SPI is not the sender's address. */
        BAD_SPI
    }

    /**
     * A complete IPv4 packet: header (protocol 51, {@code id} must be non-zero because the ICV
     * covers it and the kernel would fill a zero after hashing), AH with {@code seq}, the VRRP message.
     */
    public static byte[] wrap(byte[] vrrp, Inet4Address source, Inet4Address destination, int id, long seq,
            byte[] key, boolean unicast) {
        byte[] inner = new byte[HEADER_LENGTH + vrrp.length];
        ByteBuffer ah = ByteBuffer.wrap(inner);
        ah.put((byte) InternetChecksum.IPPROTO_VRRP).put((byte) PAYLOAD_LEN).putShort((short) 0);
        ah.put(source.getAddress());
        ah.putInt((int) seq);
        ah.put(new byte[ICV_LENGTH]);
        ah.put(vrrp);
        byte[] packet = Ipv4Header.wrap(inner, source, destination, id, IPPROTO_AH);
        byte[] icv = icv(packet, key, unicast);
        System.arraycopy(icv, 0, packet, Ipv4Header.LENGTH + 12, ICV_LENGTH);
        return packet;
    }

    /** The AH sequence number of a packet whose AH header starts at {@code ahOffset}. */
    public static long sequence(byte[] afterIpHeader) {
        return ByteBuffer.wrap(afterIpHeader).getInt(8) & 0xffffffffL;
    }

    /**
     * Checks a received packet: {@code ipHeader} as received, {@code afterIpHeader} the AH header
     * and VRRP message.
     */
    public static Check verify(byte[] ipHeader, byte[] afterIpHeader, byte[] key, boolean unicast) {
        if (ipHeader.length < Ipv4Header.LENGTH || afterIpHeader.length < HEADER_LENGTH
                || (afterIpHeader[0] & 0xff) != InternetChecksum.IPPROTO_VRRP) {
            return Check.MALFORMED;
        }
        byte[] packet = new byte[ipHeader.length + afterIpHeader.length];
        System.arraycopy(ipHeader, 0, packet, 0, ipHeader.length);
        System.arraycopy(afterIpHeader, 0, packet, ipHeader.length, afterIpHeader.length);
        byte[] received = Arrays.copyOfRange(afterIpHeader, 12, 12 + ICV_LENGTH);
        Arrays.fill(packet, ipHeader.length + 12, ipHeader.length + 12 + ICV_LENGTH, (byte) 0);
        if (!MessageDigest.isEqual(received, icv(packet, key, unicast))) {
            return Check.BAD_ICV;
        }
        if (!Arrays.equals(Arrays.copyOfRange(afterIpHeader, 4, 8), Arrays.copyOfRange(ipHeader, 12, 16))) {
            return Check.BAD_SPI;
        }
        return Check.OK;
    }

    /** The VRRP message inside. */
    public static byte[] vrrpMessage(byte[] afterIpHeader) {
        return Arrays.copyOfRange(afterIpHeader, HEADER_LENGTH, afterIpHeader.length);
    }

    /** HMAC-MD5-96 over the packet with the IP header's mutable fields zeroed (ICV already zero). */
    static byte[] icv(byte[] packetWithZeroIcv, byte[] key, boolean unicast) {
        byte[] p = packetWithZeroIcv.clone();
        int ihl = (p[0] & 0x0f) * 4;
        p[1] = 0;
        p[6] = 0;
        p[7] = 0;
        p[10] = 0;
        p[11] = 0;
        if (unicast) {
            p[8] = 0;
        }
        Mac mac = Macs.keyed("HmacMD5", key.length == 0 ? new byte[8] : key);
        mac.update(p, 0, ihl);
        mac.update(p, ihl, p.length - ihl);
        return Arrays.copyOf(mac.doFinal(), ICV_LENGTH);
    }
}
