package io.vipkeeper.vrrp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Against the wire images keepalived's test/auth_hmac_test.c checks (the draft appendix): key
 * 00..1f, id 1, VRID 51, priority 200, sequence 0x6800000080000000.
 */
class HmacTrailerTest {
    static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] V4 = HexFormat.of().parseHex("3133c80100644402c0000264"
            + "010100006800000080000000" + "1b84bc4e8e43892dc6d98448f8ee2265");
    static final byte[] V6 = HexFormat.of().parseHex("3133c8010064a2e9" + "fe800000000000000000000000000100"
            + "010100006800000080000000" + "c8c56146ebfd66ee10ec4d8186461b78");
    static final InetAddress SRC4 = NetUtil.createInetAddressFromIpAddressString("198.51.100.10");
    static final InetAddress SRC6 = NetUtil.createInetAddressFromIpAddressString("fe80::10");

    @Test
    void keepalivedVectorsVerify() {
        assertEquals(HmacTrailer.Result.OK, HmacTrailer.verify(V4, 3, 51, SRC4, 1, KEY));
        assertEquals(HmacTrailer.Result.OK, HmacTrailer.verify(V6, 3, 51, SRC6, 1, KEY));
        assertEquals(0x6800000080000000L, HmacTrailer.sequence(V6));
    }

    @Test
    void signingReproducesTheVectorsByteForByte() {
        assertEquals(HexFormat.of().formatHex(V4), HexFormat.of().formatHex(
                HmacTrailer.sign(Arrays.copyOf(V4, 12), 3, 51, SRC4, 1, KEY, 0x6800000080000000L)));
        assertEquals(HexFormat.of().formatHex(V6), HexFormat.of().formatHex(
                HmacTrailer.sign(Arrays.copyOf(V6, 24), 3, 51, SRC6, 1, KEY, 0x6800000080000000L)));
    }

    @Test
    void mutationsAsKeepalivedJudgesThem() {
        int t = 24;
        int[][] cases = {{2, 3}, {5, 3}, {6, 0}, {8 + 15, 3}, {t, 1}, {t + 1, 2}, {t + 2, 1}, {t + 4, 3}, {t + 10, 3},
            {t + 12, 3}};
        for (int[] c : cases) {
            byte[] b = V6.clone();
            b[c[0]] ^= 1;
            assertEquals(HmacTrailer.Result.values()[c[1]], HmacTrailer.verify(b, 3, 51, SRC6, 1, KEY),
                    "flipped byte " + c[0]);
        }
        assertEquals(HmacTrailer.Result.BAD_HMAC, HmacTrailer.verify(V6, 3, 51,
                NetUtil.createInetAddressFromIpAddressString("fe80::20"), 1, KEY), "source is bound");
        assertEquals(HmacTrailer.Result.BAD_HMAC, HmacTrailer.verify(V6, 3, 52, SRC6, 1, KEY), "VRID is bound");
    }

    @Test
    void keysAreWrittenAsKeepalivedWritesThem() {
        assertEquals(32, HmacTrailer.parseKey("hex:" + HexFormat.of().formatHex(KEY)).orElseThrow().length);
        assertEquals(true, HmacTrailer.parseKey("hex:0011").isEmpty(), "too short");
        assertEquals(64, HmacTrailer.parseKey(HexFormat.of().formatHex(KEY)).orElseThrow().length,
                "without hex: the text's own bytes, as keepalived");
        assertEquals(true, HmacTrailer.parseKey("a long shared secret").isEmpty(), "20 ASCII bytes: too short");
        assertEquals(true, HmacTrailer.parseKey("hex:" + "zz".repeat(32)).isEmpty());
    }
}
