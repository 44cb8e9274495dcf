package io.vipkeeper.appliance.health;

import io.netty.buffer.ByteBuf;
import io.vipkeeper.appliance.config.HealthCheck.Http;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks an HTTP body against a regular expression or a SHA-256, reading at most
 * {@link #LIMIT} bytes of it. Fed chunk by chunk; one instance per response.
 */
final class BodyCheck {
    /** Bodies are read up to 1 MiB: a health page is small, and a large one must not cost memory. */
    static final int LIMIT = 1 << 20;

    private final Optional<Pattern> regex;
    private final Optional<String> sha256;
    private final MessageDigest digest;
    private final ByteArrayOutputStream text;
    private long length;

    /** A check of what {@code http} asks of the body (nothing if it asks nothing). */
    BodyCheck(Optional<Pattern> regex, Optional<String> sha256) {
        this.regex = regex;
        this.sha256 = sha256;
        this.digest = sha256.isPresent() ? sha256() : null;
        this.text = regex.isPresent() ? new ByteArrayOutputStream() : null;
    }

    static BodyCheck of(Http http, Optional<Pattern> compiled) {
        return new BodyCheck(compiled, http.bodySha256());
    }

    /** Whether the body matters at all (otherwise the check ends with the status line). */
    boolean needed() {
        return regex.isPresent() || sha256.isPresent();
    }

    /** Takes the next chunk; returns false once the body is over the limit. */
    boolean feed(ByteBuf chunk) {
        int n = chunk.readableBytes();
        length += n;
        if (length > LIMIT) {
            return false;
        }
        if (digest != null) {
            digest.update(chunk.nioBuffer());
        }
        if (text != null) {
            byte[] bytes = new byte[n];
            chunk.getBytes(chunk.readerIndex(), bytes);
            text.writeBytes(bytes);
        }
        return true;
    }

    /** The verdict once the body is complete: empty when it passes, else the reason. */
    Optional<String> verdict() {
        if (length > LIMIT) {
            return Optional.of("body over 1 MiB");
        }
        if (digest != null) {
            String got = HexFormat.of().formatHex(digest.digest());
            return got.equals(sha256.get()) ? Optional.empty() : Optional.of("body does not match (sha256 "
                    + got.substring(0, 12) + "...)");
        }
        if (text != null) {
            String body = text.toString(StandardCharsets.UTF_8);
            return regex.get().matcher(body).find() ? Optional.empty() : Optional.of("body does not match");
        }
        return Optional.empty();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
