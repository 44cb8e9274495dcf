package io.vipkeeper.appliance.keepalived;

import java.util.List;
import java.util.Optional;

/**
 * One keepalived statement: its words (the keyword first) and, for a block, the statements inside
 * the braces. {@code virtual_ipaddress { 198.18.0.1/24 }} is a block whose child has the words
 * {@code [198.18.0.1/24]}.
 */
public record Statement(Origin origin, List<String> words, List<Statement> children, boolean block) {
    public Statement {
        words = List.copyOf(words);
        children = List.copyOf(children);
    }

    /** The first word. */
    public String keyword() {
        return words.get(0);
    }

    /** Word {@code i} (the keyword is 0), if there is one. */
    public Optional<String> word(int i) {
        return i < words.size() ? Optional.of(words.get(i)) : Optional.empty();
    }

    /** The words after the keyword. */
    public List<String> args() {
        return words.subList(1, words.size());
    }
}
