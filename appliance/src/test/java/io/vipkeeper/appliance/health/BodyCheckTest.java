package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Body regex and SHA-256 checks, fed in chunks as HTTP content arrives. */
class BodyCheckTest {
    /** SHA-256 of "hello world" (sha256sum). */
    private static final String HELLO = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

    private static void feed(BodyCheck b, String... chunks) {
        for (String c : chunks) {
            assertTrue(b.feed(Unpooled.copiedBuffer(c, StandardCharsets.UTF_8)));
        }
    }

    @Test
    void sha256OverChunks() {
        BodyCheck b = new BodyCheck(Optional.empty(), Optional.of(HELLO));
        assertTrue(b.needed());
        feed(b, "hello", " ", "world");
        assertEquals(Optional.empty(), b.verdict());
    }

    @Test
    void sha256Mismatch() {
        BodyCheck b = new BodyCheck(Optional.empty(), Optional.of(HELLO));
        feed(b, "hello world!");
        assertTrue(b.verdict().orElseThrow().startsWith("body does not match (sha256 "));
    }

    @Test
    void regexFoundAcrossChunks() {
        BodyCheck b = new BodyCheck(Optional.of(Pattern.compile("\"status\":\\s*\"ok\"")), Optional.empty());
        feed(b, "{\"sta", "tus\": \"o", "k\"}");
        assertEquals(Optional.empty(), b.verdict());
    }

    @Test
    void regexNotFound() {
        BodyCheck b = new BodyCheck(Optional.of(Pattern.compile("ok")), Optional.empty());
        feed(b, "failing");
        assertEquals(Optional.of("body does not match"), b.verdict());
    }

    @Test
    void nothingAskedNeedsNoBody() {
        BodyCheck b = new BodyCheck(Optional.empty(), Optional.empty());
        assertFalse(b.needed());
        assertEquals(Optional.empty(), b.verdict());
    }

    @Test
    void readsAtMostOneMebibyte() {
        BodyCheck b = new BodyCheck(Optional.of(Pattern.compile("x")), Optional.empty());
        assertTrue(b.feed(Unpooled.wrappedBuffer(new byte[BodyCheck.LIMIT])));
        assertFalse(b.feed(Unpooled.wrappedBuffer(new byte[1])));
        assertEquals(Optional.of("body over 1 MiB"), b.verdict());
    }
}
