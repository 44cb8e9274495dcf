package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.vipkeeper.appliance.config.TokenFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Authorization header's token and its match against the token file's, in constant time. */
class BearerTest {
    private static final String OPS = "0123456789abcdef0123456789abcdef";
    private static final String DEPLOY = "fedcba9876543210fedcba9876543210";
    private static final TokenFile.Tokens TOKENS = new TokenFile.Tokens(List.of(new TokenFile.Token("ops", OPS),
            new TokenFile.Token("deploy", DEPLOY)));

    private static Optional<String> token(String authorization) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (authorization != null) {
            h.set("Authorization", authorization);
        }
        return Bearer.token(h);
    }

    @Test
    void takesTheTokenOfABearerHeaderOnly() {
        assertEquals(Optional.of(OPS), token("Bearer " + OPS));
        assertEquals(Optional.of(OPS), token("bearer  " + OPS + " "), "the scheme is case-insensitive (RFC 7235)");
        assertEquals(Optional.empty(), token(null));
        assertEquals(Optional.empty(), token("Basic b3BzOnNlY3JldA=="));
        assertEquals(Optional.empty(), token("Bearer "));
        assertEquals(Optional.empty(), token("Bearer"));
    }

    @Test
    void namesTheTokenThatMatchesWhole() {
        assertEquals(Optional.of("ops"), Bearer.match(OPS, TOKENS));
        assertEquals(Optional.of("deploy"), Bearer.match(DEPLOY, TOKENS));
        assertEquals(Optional.empty(), Bearer.match(OPS.substring(0, 31), TOKENS), "a prefix is no match");
        assertEquals(Optional.empty(), Bearer.match(OPS + "0", TOKENS), "nor is a longer one");
        assertEquals(Optional.empty(), Bearer.match(OPS.toUpperCase(), TOKENS), "tokens are case-sensitive");
        assertEquals(Optional.empty(), Bearer.match("", TOKENS));
        assertEquals(Optional.empty(), Bearer.match(OPS, TokenFile.Tokens.NONE));
    }

    @Test
    void comparesWholeArraysWhateverTheirLengths() {
        byte[] a = OPS.getBytes(StandardCharsets.US_ASCII);
        assertTrue(Bearer.equal(a, a.clone()));
        assertFalse(Bearer.equal(a, OPS.substring(1).getBytes(StandardCharsets.US_ASCII)));
        byte[] last = a.clone();
        last[last.length - 1] ^= 1;
        assertFalse(Bearer.equal(a, last), "a difference in the last byte counts like one in the first");
    }
}
