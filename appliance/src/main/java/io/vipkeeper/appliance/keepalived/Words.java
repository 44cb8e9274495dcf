package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a keepalived line into words as keepalived's strvec does: whitespace separates, a
 * double-quoted string is one word without its quotes, and a brace outside quotes is a word of its
 * own (keepalived cuts the line at it, so {@code vrrp_instance VI_1{} opens a block).
 */
public final class Words {
    private Words() {
    }

    /** The words of one line. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (c == ' ' || c == '\t') {
                word = flush(words, word);
            } else if (c == '{' || c == '}') {
                word = flush(words, word);
                words.add(String.valueOf(c));
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        flush(words, word);
        return words;
    }

    /**
     * A program line's argv: a single (quoted) word is split as keepalived splits a script line,
     * several words are the argv already.
     */
    public static List<String> command(Statement s) {
        return s.args().size() == 1 ? split(s.args().get(0)) : s.args();
    }

    private static StringBuilder flush(List<String> words, StringBuilder word) {
        if (word != null) {
            words.add(word.toString());
        }
        return null;
    }
}
