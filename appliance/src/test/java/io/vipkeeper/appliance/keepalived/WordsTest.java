package io.vipkeeper.appliance.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Word splitting as keepalived's strvec does it. */
class WordsTest {
    @Test
    void quotesMakeOneWordAndBracesAreWordsOfTheirOwn() {
        assertEquals(List.of("script", "/bin/check -x", "{", "a", "}"), Words.split("script \"/bin/check -x\"{a }"));
    }

    @Property
    void wordsJoinedByAnyBlanksSplitBack(@ForAll @Size(max = 8) List<@NotEmpty @StringLength(max = 12)
            @CharRange(from = '!', to = 'z') String> words, @ForAll @CharRange(from = '\t', to = '\t') char tab) {
        List<String> plain = words.stream().map(w -> w.replaceAll("[\"{}]", "x")).toList();
        String line = String.join(tab + " ", plain);
        assertEquals(plain, Words.split(line));
    }

    @Property
    void aQuotedWordKeepsItsBlanks(@ForAll @StringLength(max = 20) @CharRange(from = ' ', to = 'z') String text) {
        String inner = text.replace("\"", "");
        assertEquals(List.of("script", inner), Words.split("script \"" + inner + "\""));
    }
}
