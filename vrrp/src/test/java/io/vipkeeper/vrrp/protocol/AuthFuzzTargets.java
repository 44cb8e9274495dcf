package io.vipkeeper.vrrp.protocol;

import io.netty.util.NetUtil;
import io.vipkeeper.vrrp.codec.DecodeResult;
import io.vipkeeper.vrrp.codec.VrrpDecoder;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.fsm.HmacAuth;
import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The authentication parsers under fuzzing, seeded with keepalived's wire images and our own
 * signed packets: IPsec AH verification, the HMAC trailer, and {@link HmacAuth}'s check followed
 * by the decoder, as the dispatcher runs them. Outcomes are {@code accepted} or the verdict's name.
 */
public final class AuthFuzzTargets {
    private static final Inet4Address UNICAST = (Inet4Address) NetUtil.createInetAddressFromIpAddressString("198.18.1.2");

    private AuthFuzzTargets() {
    }

    /**
     * {@link IpsecAh#verify} with the first 20 bytes as the IP header and the rest as AH and VRRP,
     * whatever the header's IHL says; unicast when the destination is not multicast.
     */
    public static FuzzTarget ipsecAh() {
        byte[] vrrp = Arrays.copyOfRange(IpsecAhTest.packet(), Ipv4Header.LENGTH + IpsecAh.HEADER_LENGTH,
                IpsecAhTest.packet().length);
        List<byte[]> seeds = List.of(IpsecAhTest.packet(),
                IpsecAh.wrap(vrrp, IpsecAhTest.SRC, UNICAST, 78, 6, IpsecAhTest.KEY, true),
                IpsecAh.wrap(new byte[0], IpsecAhTest.SRC, IpsecAhTest.GROUP, 1, 0xffffffffL, IpsecAhTest.KEY, false));
        return FuzzTarget.of("IpsecAh.verify", seeds, input -> {
            int split = Math.min(Ipv4Header.LENGTH, input.length);
            boolean unicast = input.length < 17 || (input[16] & 0xf0) != 0xe0;
            IpsecAh.Check check = IpsecAh.verify(Arrays.copyOf(input, split),
                    Arrays.copyOfRange(input, split, input.length), IpsecAhTest.KEY, unicast);
            return check == IpsecAh.Check.OK ? FuzzTarget.ACCEPTED : "rejected: " + label(check);
        });
    }

    /** {@link HmacTrailer#verify} for VRID 51, key id 1, from keepalived's IPv4 source. */
    public static FuzzTarget hmacTrailer() {
        byte[] message = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 10, 4095,
                List.of(HmacTrailerTest.SRC4, UNICAST)), HmacTrailerTest.SRC4, VrrpMulticast.IPV4);
        List<byte[]> seeds = List.of(HmacTrailerTest.V4,
                HmacTrailer.sign(message, 3, 51, HmacTrailerTest.SRC4, 1, HmacTrailerTest.KEY, 1),
                HmacTrailer.sign(new byte[VrrpAdvertisement.HEADER_LENGTH], 3, 51, HmacTrailerTest.SRC4, 1,
                        HmacTrailerTest.KEY, -1));
        return FuzzTarget.of("HmacTrailer.verify", seeds, input -> {
            HmacTrailer.Result r = HmacTrailer.verify(input, 3, 51, HmacTrailerTest.SRC4, 1, HmacTrailerTest.KEY);
            return r == HmacTrailer.Result.OK ? FuzzTarget.ACCEPTED : "rejected: " + label(r);
        });
    }

    /**
     * A fresh {@link HmacAuth} (VRRPv3, VRID 51) checking each input from keepalived's source,
     * then the decoder on what it let through (the kernel verified IPv6 checksums).
     */
    public static FuzzTarget hmacAuth(boolean ipv6) {
        InetAddress src = ipv6 ? HmacTrailerTest.SRC6 : HmacTrailerTest.SRC4;
        InetAddress dst = VrrpMulticast.groupFor(src);
        byte[] message = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 255, 1, List.of(src, src, src)), src, dst);
        byte[] empty = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 0, 4095, List.of()), src, dst);
        // keepalived's IPv4 image carries a VRRP checksum for a destination it does not name.
        List<byte[]> seeds = ipv6 ? List.of(HmacTrailerTest.V6, auth().sign(message, src), auth().sign(empty, src))
                : List.of(auth().sign(message, src), auth().sign(empty, src));
        return FuzzTarget.of("HmacAuth.check " + (ipv6 ? "IPv6" : "IPv4"), seeds, input -> {
            InboundPacket checked = auth().check(new InboundPacket(src, dst, 255, input));
            if (checked.rejected() != null) {
                return "rejected: " + checked.rejected().label();
            }
            DecodeResult r = VrrpDecoder.decode(checked, !(src instanceof Inet6Address));
            return r instanceof DecodeResult.Dropped d ? "dropped: " + d.reason().label() : FuzzTarget.ACCEPTED;
        });
    }

    private static HmacAuth auth() {
        // Monotonic: the appendix vector's timestamp lies outside any live window, as keepalived's test says.
        return new HmacAuth(VrrpVersion.V3, 51, new io.vipkeeper.vrrp.fsm.HmacPolicy(java.util.Map.of(1, HmacTrailerTest.KEY),
                1, io.vipkeeper.vrrp.fsm.HmacMode.ENFORCE, false, 5), () -> 1_700_000_000_000L);
    }

    private static String label(Enum<?> verdict) {
        return verdict.name().toLowerCase(Locale.ROOT);
    }
}
