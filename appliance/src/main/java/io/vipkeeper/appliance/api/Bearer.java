package io.vipkeeper.appliance.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.vipkeeper.appliance.config.TokenFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Bearer tokens (RFC 6750) as the API takes them: the token of an {@code Authorization: Bearer}
 * header, matched against {@code api.token-file}'s in constant time. Both sides are hashed before
 * they are compared, and every token of the file is compared whatever matched first, so the time an
 * answer takes tells a client neither how much of a guess was right nor how long the tokens are.
 */
final class Bearer {
    private static final String SCHEME = "bearer ";

    private Bearer() {
    }

    /** The token the request's Authorization header carries; empty without a Bearer one. */
    static Optional<String> token(HttpHeaders headers) {
        String h = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (h == null || h.length() <= SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String t = h.substring(SCHEME.length()).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /** The name of the token in {@code tokens} that {@code presented} is; empty when none. */
    static Optional<String> match(String presented, TokenFile.Tokens tokens) {
        byte[] p = sha256(presented);
        String found = null;
        for (TokenFile.Token t : tokens.all()) {
            // No early exit: every token costs the same whichever matches.
            if (equal(p, sha256(t.secret())) && found == null) {
                found = t.name();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether {@code a} and {@code b} are equal, in time that depends on their lengths only. */
    static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
