package io.vipkeeper.appliance.keepalived;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The block layer of keepalived's parser: builds the statement tree from lines. A {@code {} may
 * end the opening line or stand on the next line (keepalived's alloc_value_block accepts both);
 * {@code }} closes the innermost block, also at the end of a line of values
 * ({@code virtual_ipaddress { 198.18.0.1 }}). An extra {@code }} is reported and ignored, an
 * unclosed block is closed at the end of the input, as keepalived does. Blocks nest at most
 * {@value #MAX_NESTING} deep (keepalived's deepest, virtual_server / real_server / checker / url,
 * is four); deeper is refused, so no later step recurses without bound.
 */
public final class StatementParser {
    /** The deepest nesting read; far above keepalived's keywords, far below a stack overflow. */
    static final int MAX_NESTING = 64;

    private StatementParser() {
    }

    /** A statement under construction; children fill in while its block is open. */
    private static final class Open {
        final Origin origin;
        final List<String> words;
        final List<Open> children = new ArrayList<>();
        boolean block;

        Open(Origin origin, List<String> words) {
            this.origin = origin;
            this.words = words;
        }

        Statement close() {
            return new Statement(origin, words, children.stream().map(Open::close).toList(), block);
        }
    }

    /** The top-level statements of {@code lines}. */
    public static List<Statement> parse(List<SourceLine> lines, Notes notes) throws ImportLimitException {
        Open root = new Open(null, List.of());
        Deque<Open> stack = new ArrayDeque<>();
        stack.push(root);
        Deque<Origin> openedAt = new ArrayDeque<>();
        for (SourceLine line : lines) {
            List<String> current = new ArrayList<>();
            for (String word : Words.split(line.text())) {
                if (word.equals("{")) {
                    Open owner;
                    if (!current.isEmpty()) {
                        owner = new Open(line.origin(), current);
                        stack.peek().children.add(owner);
                        current = new ArrayList<>();
                    } else {
                        List<Open> siblings = stack.peek().children;
                        owner = siblings.isEmpty() || siblings.get(siblings.size() - 1).block ? null
                                : siblings.get(siblings.size() - 1);
                        if (owner == null) {
                            notes.leftOut(line.origin(), "{", "a block with no keyword before it; keepalived skips it");
                            owner = new Open(line.origin(), List.of("{"));
                        }
                    }
                    owner.block = true;
                    if (stack.size() > MAX_NESTING) {
                        throw new ImportLimitException(line.origin(), "{: blocks nested more than " + MAX_NESTING
                                + " deep; the import stops");
                    }
                    stack.push(owner);
                    openedAt.push(line.origin());
                } else if (word.equals("}")) {
                    add(stack.peek(), line.origin(), current);
                    current = new ArrayList<>();
                    if (stack.size() == 1) {
                        notes.leftOut(line.origin(), "}", "extra '}' with no block open; keepalived ignores it");
                    } else {
                        stack.pop();
                        openedAt.pop();
                    }
                } else {
                    current.add(word);
                }
            }
            add(stack.peek(), line.origin(), current);
        }
        while (stack.size() > 1) {
            Open open = stack.pop();
            notes.note(openedAt.pop(), open.words.isEmpty() ? "{" : open.words.get(0),
                    "block never closed; keepalived closes it at the end of the file");
        }
        return root.children.stream().map(Open::close).toList();
    }

    private static void add(Open parent, Origin origin, List<String> words) {
        if (!words.isEmpty()) {
            parent.children.add(new Open(origin, words));
        }
    }
}
