package io.vipkeeper.vrrp.codec;

import io.netty.buffer.Unpooled;
import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import io.vipkeeper.vrrp.protocol.InternetChecksum;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link VrrpDecoder} under fuzzing, per address family: the outcome is {@code accepted} or
 * {@code dropped: REASON}. An accepted advertisement must also encode and decode back to itself.
 * Half the inputs get an address count that fits their length and a correct checksum, so the
 * mutations reach the checks after the checksum.
 */
public final class DecoderFuzzTargets {
    private static final InetAddress SRC6 = VrrpCodecTest.ip("fe80::1");

    private DecoderFuzzTargets() {
    }

    /** The decoder on packets from an IPv4 or an IPv6 source. */
    public static FuzzTarget decoder(boolean ipv6) {
        InetAddress src = ipv6 ? SRC6 : VrrpCodecTest.SRC;
        InetAddress dst = ipv6 ? VrrpMulticast.IPV6 : VrrpCodecTest.GROUP;
        return FuzzTarget.of("VrrpDecoder " + (ipv6 ? "IPv6" : "IPv4"), seeds(ipv6, src, dst), b -> {
            if (b.length >= VrrpAdvertisement.HEADER_LENGTH) {
                fitCount(b, ipv6);
                fixChecksum(b, src, dst);
            }
        }, input -> {
            DecodeResult r = VrrpDecoder.decode(new InboundPacket(src, dst, 255, input));
            if (r instanceof DecodeResult.Dropped d) {
                return "dropped: " + d.reason().label();
            }
            VrrpAdvertisement ad = ((DecodeResult.Accepted) r).advertisement();
            DecodeResult again = VrrpDecoder.decode(new InboundPacket(src, dst, 255, VrrpEncoder.encode(ad, src, dst)));
            if (!(again instanceof DecodeResult.Accepted a) || !a.advertisement().equals(ad)) {
                throw new IllegalStateException(ad + " does not survive encoding: " + again);
            }
            return FuzzTarget.ACCEPTED;
        });
    }

    private static List<byte[]> seeds(boolean ipv6, InetAddress src, InetAddress dst) {
        List<byte[]> seeds = new ArrayList<>();
        List<InetAddress> vips = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            vips.add(VrrpCodecTest.ip(ipv6 ? "2001:db8::" + (i + 100) : "198.18.0." + (i + 100)));
            seeds.add(VrrpEncoder.encode(VrrpAdvertisement.v3(1 + 50 * i, 100 + i, 100 * i + 1, vips), src, dst));
        }
        if (!ipv6) {
            seeds.add(VrrpCodecTest.V3_VECTOR);
            seeds.add(VrrpCodecTest.V2_VECTOR);
            seeds.add(VrrpEncoder.encode(VrrpAdvertisement.v2(9, 50, 3, vips, V2AuthType.SIMPLE_TEXT,
                    new byte[] {'s', 'e', 'c', 'r', 'e', 't', 0, 0}), src, dst));
            seeds.add(VrrpEncoder.encode(VrrpAdvertisement.v2(255, 0, 255, List.of(), V2AuthType.IP_AH, new byte[8]),
                    src, dst));
        }
        return List.copyOf(seeds);
    }

    /** Sets the address count to what the length holds, when it holds a whole number of addresses. */
    private static void fitCount(byte[] b, boolean ipv6) {
        int body = b.length - VrrpAdvertisement.HEADER_LENGTH - ((b[0] & 0xf0) == 0x20 ? 8 : 0);
        int size = ipv6 ? 16 : 4;
        if (body >= 0 && body % size == 0 && body / size <= 255) {
            b[3] = (byte) (body / size);
        }
    }

    private static void fixChecksum(byte[] b, InetAddress src, InetAddress dst) {
        b[6] = 0;
        b[7] = 0;
        var buf = Unpooled.wrappedBuffer(b);
        int sum = (b[0] & 0xf0) == 0x20 ? InternetChecksum.of(buf, 0, b.length)
                : InternetChecksum.v3(buf, 0, b.length, src, dst);
        b[6] = (byte) (sum >>> 8);
        b[7] = (byte) sum;
    }
}
