package io.vipkeeper.vrrp.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SockAddrUnixTest {
    @Test
    void aPathEndsWithItsNul() {
        assertArrayEquals(new byte[] {1, 0, '/', 'r', '/', 's', 0}, SockAddr.unix("/r/s"));
    }

    @Test
    void anAbstractNameStartsWithNulAndHasNoTerminator() {
        assertArrayEquals(new byte[] {1, 0, 0, 'n', 'o', 't', 'i', 'f', 'y'}, SockAddr.unix("@notify"));
    }

    @Test
    void emptyOrTooLongNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SockAddr.unix(""));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.unix("/" + "x".repeat(107)));
    }
}
