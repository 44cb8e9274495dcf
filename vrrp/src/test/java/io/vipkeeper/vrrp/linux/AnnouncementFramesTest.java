package io.vipkeeper.vrrp.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AnnouncementFramesTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final byte[] MAC = HEX.parseHex("02 00 00 00 00 01");

    @Test
    void garpIsARequestFromTheVipForTheVip() {
        byte[] f = AnnouncementFrames.garp(MAC, (Inet4Address) NetUtil.createInetAddressFromIpAddressString("10.99.0.100"));
        assertArrayEquals(HEX.parseHex("ff ff ff ff ff ff 02 00 00 00 00 01 08 06 00 01 08 00 06 04 00 01"
                + " 02 00 00 00 00 01 0a 63 00 64 ff ff ff ff ff ff 0a 63 00 64"), f);
    }

    @Test
    void unsolicitedNaHasAValidChecksumAndTheOverrideFlag() {
        Inet6Address vip = (Inet6Address) NetUtil.createInetAddressFromIpAddressString("2001:db8::100");
        byte[] f = AnnouncementFrames.unsolicitedNa(MAC, vip, false);
        assertEquals(86, f.length);
        assertEquals(255, f[14 + 7] & 0xff, "hop limit");
        assertEquals(0x20, f[54 + 4] & 0xff, "override flag, not router");
        byte[] icmp = Arrays.copyOfRange(f, 54, 86);
        long sum = 0;
        for (int i = 22; i < 54; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        sum += 32 + 58;
        for (int i = 0; i < icmp.length; i += 2) {
            sum += ((icmp[i] & 0xff) << 8) | (icmp[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertEquals(0xffff, sum, "checksum verifies");
        assertEquals(0xa0, AnnouncementFrames.unsolicitedNa(MAC, vip, true)[54 + 4] & 0xff, "router + override");
    }
}
