package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which Accept headers get /status as the text table; JSON stays the default. */
class StatusMediaTypeTest {
    @Test
    void textOnlyWhenTextPlainComesBeforeJson() {
        assertTrue(StatusMediaType.text("text/plain"));
        assertTrue(StatusMediaType.text("Text/Plain; charset=utf-8"));
        assertTrue(StatusMediaType.text("text/html, text/plain;q=0.9, */*"));
        assertTrue(StatusMediaType.text("text/plain, application/json"));
        assertFalse(StatusMediaType.text(null));
        assertFalse(StatusMediaType.text("*/*"));
        assertFalse(StatusMediaType.text("application/json"));
        assertFalse(StatusMediaType.text("application/json, text/plain"));
        assertFalse(StatusMediaType.text("text/html"));
        assertFalse(StatusMediaType.text(""));
    }
}
