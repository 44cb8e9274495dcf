package io.vipkeeper.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.NetUtil;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoder and decoder against the captured vectors, round trips, and one test per drop reason. */
class VrrpCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    static final InetAddress SRC = ip("10.99.0.1");
    static final InetAddress GROUP = ip("224.0.0.18");
    private static final InetAddress VIP = ip("10.99.0.100");
    /** reference §4: confirmed by tcpdump and an independent receiver. */
    static final byte[] V3_VECTOR = HEX.parseHex("31 33 64 01 00 64 74 ad 0a 63 00 64");
    static final byte[] V2_VECTOR = HEX.parseHex("21 33 64 01 00 01 70 03 0a 63 00 64 00 00 00 00 00 00 00 00");

    static InetAddress ip(String s) {
        return NetUtil.createInetAddressFromIpAddressString(s);
    }

    private static DecodeResult decode(byte[] bytes) {
        return VrrpDecoder.decode(new InboundPacket(SRC, GROUP, 255, bytes));
    }

    private static DropReason dropReason(byte[] bytes) {
        return assertInstanceOf(DecodeResult.Dropped.class, decode(bytes)).reason();
    }

    @Test
    void encodesTheV3Vector() {
        VrrpAdvertisement ad = VrrpAdvertisement.v3(0x33, 100, 100, List.of(VIP));
        assertArrayEquals(V3_VECTOR, VrrpEncoder.encode(ad, SRC, GROUP));
    }

    @Test
    void encodesTheV2Vector() {
        VrrpAdvertisement ad = VrrpAdvertisement.v2(0x33, 100, 1, List.of(VIP), V2AuthType.NONE, new byte[8]);
        assertArrayEquals(V2_VECTOR, VrrpEncoder.encode(ad, SRC, GROUP));
    }

    @Test
    void decodesBothVectors() {
        var v3 = assertInstanceOf(DecodeResult.Accepted.class, decode(V3_VECTOR)).advertisement();
        assertEquals(VrrpAdvertisement.v3(0x33, 100, 100, List.of(VIP)), v3);
        var v2 = assertInstanceOf(DecodeResult.Accepted.class, decode(V2_VECTOR)).advertisement();
        assertEquals(VrrpAdvertisement.v2(0x33, 100, 1, List.of(VIP), V2AuthType.NONE, new byte[8]), v2);
    }

    @Test
    void ipv6RoundTripUsesThePseudoHeader() {
        InetAddress src = ip("fe80::1");
        InetAddress dst = ip("ff02::12");
        VrrpAdvertisement ad = VrrpAdvertisement.v3(7, 150, 10, List.of(ip("2001:db8::100"), ip("2001:db8::101")));
        byte[] bytes = VrrpEncoder.encode(ad, src, dst);
        assertEquals(8 + 32, bytes.length);
        var back = VrrpDecoder.decode(new InboundPacket(src, dst, 255, bytes));
        assertEquals(ad, assertInstanceOf(DecodeResult.Accepted.class, back).advertisement());
        var otherSource = VrrpDecoder.decode(new InboundPacket(ip("fe80::2"), dst, 255, bytes));
        assertEquals(DropReason.CHECKSUM, assertInstanceOf(DecodeResult.Dropped.class, otherSource).reason());
    }

    @Test
    void ipv4MappedAddressesInAnIpv6AdvertStayIpv6() {
        // Found by VrrpFuzzTest: ::ffff:32.1.13.184 beside two IPv6 addresses threw "mixed families".
        byte[] found = HexFormat.of().parseHex("31330d032001fb8200000000000000000000ffff20010db8000000000000000000"
                + "0001010d678b40fb7d47d14d12f560b1c719d72f2f6014");
        var r = VrrpDecoder.decode(new InboundPacket(ip("fe80::1"), ip("ff02::12"), 255, found));
        VrrpAdvertisement ad = assertInstanceOf(DecodeResult.Accepted.class, r).advertisement();
        assertEquals(3, ad.addresses().size());
        ad.addresses().forEach(a -> assertInstanceOf(java.net.Inet6Address.class, a));
        assertArrayEquals(java.util.Arrays.copyOfRange(found, 8, 24), ad.addresses().get(0).getAddress());
    }

    @Test
    void passwordRoundTrip() {
        byte[] pass = {'s', 'e', 'c', 'r', 'e', 't', 0, 0};
        VrrpAdvertisement ad = VrrpAdvertisement.v2(9, 50, 3, List.of(VIP, ip("10.99.0.101")),
                V2AuthType.SIMPLE_TEXT, pass);
        var back = decode(VrrpEncoder.encode(ad, SRC, GROUP));
        VrrpAdvertisement got = assertInstanceOf(DecodeResult.Accepted.class, back).advertisement();
        assertEquals(ad, got);
        assertArrayEquals(pass, got.authData());
        assertEquals(false, got.toString().contains("secret"), "toString must not show the password");
    }

    @Test
    void truncatedHeader() {
        assertEquals(DropReason.LENGTH, dropReason(HEX.parseHex("31 33 64 01 00 64 74")));
        assertEquals(DropReason.LENGTH, dropReason(new byte[0]));
    }

    @Test
    void unknownVersion() {
        byte[] b = V3_VECTOR.clone();
        b[0] = 0x41;
        assertEquals(DropReason.VERSION, dropReason(b));
    }

    @Test
    void unknownType() {
        byte[] b = V3_VECTOR.clone();
        b[0] = 0x32;
        assertEquals(DropReason.TYPE, dropReason(b));
    }

    @Test
    void addressCountDisagreesWithLength() {
        byte[] b = V3_VECTOR.clone();
        b[3] = 2;
        assertEquals(DropReason.LENGTH, dropReason(b));
        byte[] longer = java.util.Arrays.copyOf(V3_VECTOR, 13);
        assertEquals(DropReason.LENGTH, dropReason(longer));
    }

    @Test
    void wrongChecksum() {
        byte[] b = V3_VECTOR.clone();
        b[7] ^= 1;
        assertEquals(DropReason.CHECKSUM, dropReason(b));
        byte[] v2 = V2_VECTOR.clone();
        v2[2] = 101;
        assertEquals(DropReason.CHECKSUM, dropReason(v2));
    }

    @Test
    void v3ChecksumDependsOnTheDestination() {
        var r = VrrpDecoder.decode(new InboundPacket(SRC, ip("10.99.0.2"), 255, V3_VECTOR));
        assertEquals(DropReason.CHECKSUM, assertInstanceOf(DecodeResult.Dropped.class, r).reason());
    }

    @Test
    void zeroIntervalUnknownAuthTypeAndVridZero() {
        VrrpAdvertisement base = VrrpAdvertisement.v2(1, 100, 1, List.of(VIP), V2AuthType.NONE, new byte[8]);
        byte[] zeroInterval = VrrpEncoder.encode(base, SRC, GROUP);
        zeroInterval[5] = 0;
        fixV2Checksum(zeroInterval);
        assertEquals(DropReason.INTERVAL, dropReason(zeroInterval));
        byte[] badAuth = VrrpEncoder.encode(base, SRC, GROUP);
        badAuth[4] = 9;
        fixV2Checksum(badAuth);
        assertEquals(DropReason.AUTH_TYPE, dropReason(badAuth));
        byte[] vrid0 = VrrpEncoder.encode(base, SRC, GROUP);
        vrid0[1] = 0;
        fixV2Checksum(vrid0);
        assertEquals(DropReason.UNKNOWN_VRID, dropReason(vrid0));
    }

    @Test
    void v2OverIpv6IsAVersionError() {
        var r = VrrpDecoder.decode(new InboundPacket(ip("fe80::1"), ip("ff02::12"), 255, V2_VECTOR));
        assertEquals(DropReason.VERSION, assertInstanceOf(DecodeResult.Dropped.class, r).reason());
    }

    @Test
    void nettyHandlerEmitsResults() {
        EmbeddedChannel ch = new EmbeddedChannel(VrrpDecoderHandler.INSTANCE);
        ch.writeInbound(new InboundPacket(SRC, GROUP, 255, V3_VECTOR));
        ch.writeInbound(new InboundPacket(SRC, GROUP, 255, new byte[3]));
        assertInstanceOf(DecodeResult.Accepted.class, ch.readInbound());
        assertInstanceOf(DecodeResult.Dropped.class, ch.readInbound());
        ch.finishAndReleaseAll();
    }

    private static void fixV2Checksum(byte[] b) {
        b[6] = 0;
        b[7] = 0;
        int sum = io.vipkeeper.vrrp.protocol.InternetChecksum.of(io.netty.buffer.Unpooled.wrappedBuffer(b), 0, b.length);
        b[6] = (byte) (sum >>> 8);
        b[7] = (byte) sum;
    }
}
