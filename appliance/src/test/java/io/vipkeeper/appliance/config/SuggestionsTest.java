package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("priority", "preempt", "preempt-delay", "interface");

    @Test
    void typosFindTheirKey() {
        assertEquals(Optional.of("priority"), Suggestions.closest("prority", KEYS));
        assertEquals(Optional.of("priority"), Suggestions.closest("piroity", KEYS));
        assertEquals(Optional.of("preempt-delay"), Suggestions.closest("preempt_delay", KEYS));
        assertEquals(Optional.of("interface"), Suggestions.closest("Interface", KEYS));
    }

    @Test
    void unrelatedWordsGetNoSuggestion() {
        assertEquals(Optional.empty(), Suggestions.closest("colour", KEYS));
        assertEquals("", Suggestions.hint("x", KEYS));
    }

    @Test
    void transpositionCountsAsOneEdit() {
        assertEquals(1, Suggestions.distance("ab", "ba"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
