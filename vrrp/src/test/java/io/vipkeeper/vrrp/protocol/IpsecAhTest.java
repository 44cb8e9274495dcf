package io.vipkeeper.vrrp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpsecAhTest {
    static final Inet4Address SRC = (Inet4Address) NetUtil.createInetAddressFromIpAddressString("198.18.1.1");
    static final Inet4Address GROUP = (Inet4Address) VrrpMulticast.IPV4;
    static final byte[] KEY = {'s', '3', 'c', 'r', 'e', 't', 0, 0};

    static byte[] packet() {
        byte[] vrrp = io.vipkeeper.vrrp.codec.VrrpEncoder.encode(VrrpAdvertisement.v2(51, 100, 1,
                List.of(NetUtil.createInetAddressFromIpAddressString("198.18.1.100")), V2AuthType.IP_AH, new byte[8]),
                SRC, GROUP);
        return IpsecAh.wrap(vrrp, SRC, GROUP, 77, 5, KEY, false);
    }

    private static IpsecAh.Check verify(byte[] p, byte[] key) {
        return IpsecAh.verify(Arrays.copyOf(p, 20), Arrays.copyOfRange(p, 20, p.length), key, false);
    }

    @Test
    void layoutAndRoundTrip() {
        byte[] p = packet();
        assertEquals(20 + 24 + 20, p.length);
        assertEquals(51, p[9]);
        assertEquals(112, p[20]);
        assertEquals(4, p[21]);
        assertEquals(5, IpsecAh.sequence(Arrays.copyOfRange(p, 20, p.length)));
        assertEquals(IpsecAh.Check.OK, verify(p, KEY));
    }

    @Test
    void mutableFieldsDoNotMatterButEverythingElseDoes() {
        byte[] p = packet();
        p[1] = 0x10;
        p[10] = 0x12;
        assertEquals(IpsecAh.Check.OK, verify(p, KEY), "TOS and checksum are excluded");
        p[8] = 64;
        assertEquals(IpsecAh.Check.BAD_ICV, verify(p, KEY), "multicast: keepalived covers the TTL");
        byte[] vrrp = Arrays.copyOfRange(packet(), 44, 64);
        byte[] uni = IpsecAh.wrap(vrrp, SRC, (Inet4Address) NetUtil.createInetAddressFromIpAddressString("198.18.1.2"),
                78, 6, KEY, true);
        uni[8] = 63;
        assertEquals(IpsecAh.Check.OK, IpsecAh.verify(Arrays.copyOf(uni, 20), Arrays.copyOfRange(uni, 20, uni.length),
                KEY, true), "unicast: the TTL is excluded");
        byte[] q = packet();
        q[20 + 24 + 2] = 101;
        assertEquals(IpsecAh.Check.BAD_ICV, verify(q, KEY), "priority changed");
        assertEquals(IpsecAh.Check.BAD_ICV, verify(packet(), new byte[] {'x', 0, 0, 0, 0, 0, 0, 0}));
        byte[] r = packet();
        r[20 + 7] ^= 1;
        assertEquals(IpsecAh.Check.BAD_ICV, verify(r, KEY), "the SPI is covered by the ICV");
        assertEquals(IpsecAh.Check.MALFORMED, IpsecAh.verify(new byte[20], new byte[10], KEY, false));
    }

    @Test
    void aHeaderLengthBeyondThePacketIsMalformed() {
        // Found by VrrpFuzzTest: IHL 14 (56 bytes) over a 44-byte packet threw from the HMAC.
        byte[] found = java.util.HexFormat.of().parseHex("4e00000000000000000000000000000000000000"
                + "700000000000000000000000000000000000000000000000");
        assertEquals(IpsecAh.Check.MALFORMED, IpsecAh.verify(Arrays.copyOf(found, 20),
                Arrays.copyOfRange(found, 20, found.length), KEY, true));
        byte[] p = packet();
        p[0] = 0x46;
        assertEquals(IpsecAh.Check.MALFORMED, verify(p, KEY), "IHL 6 on a 20-byte header");
    }
}
