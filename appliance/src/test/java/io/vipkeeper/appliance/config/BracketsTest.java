package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BracketsTest {
    private static Optional<Brackets.Open> unclosed(String... lines) {
        return Brackets.unclosed(String.join("\n", lines));
    }

    @Test
    void bracketsInStringsCommentsAndSubstitutionsAreNotCounted() {
        assertEquals(Optional.empty(), unclosed(
                "a { # {",
                "  b = \"{[\" // [",
                "  c = \"\"\"{",
                "  [\"\"\"",
                "  d = \"\\\"{\"",
                "  e = ${a.b}",
                "}"));
        // Yet the line count goes on through a string of several lines.
        assertEquals(Optional.of(new Brackets.Open(4, '{', 0)), unclosed("a {", "  b = \"\"\"x", "y\"\"\"", "  c {", "}"));
    }

    @Test
    void withoutAHintFromIndentationTheInnermostOpenBlockIsTheOne() {
        assertEquals(Optional.of(new Brackets.Open(2, '{', 0)), unclosed("a {", "  b {", "    c = 1"));
        assertEquals(Optional.of(new Brackets.Open(1, '{', 0)), unclosed("a {", "b {", "c = 1", "}"));
        assertEquals(Optional.of(new Brackets.Open(1, '{', 0)), unclosed("a {", "  b { c = 1 }"));
    }

    @Test
    void theFirstCloserIndentedOtherThanItsBlockPointsAtTheBlockThatLacksOne() {
        assertEquals(Optional.of(new Brackets.Open(3, '{', 0)), unclosed(
                "a {",
                "  b {",
                "    c {",
                "      d = 1",
                "  }",
                "}"));
    }

    @Test
    void aCloserOfTheOtherKindEndsTheSearch() {
        assertEquals(Optional.of(new Brackets.Open(2, '[', 3)), unclosed("a {", "  b = [1, 2", "}", "c = [", "]"));
    }
}
