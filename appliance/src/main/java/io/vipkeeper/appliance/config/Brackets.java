package io.vipkeeper.appliance.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Finds the '{' or '[' a HOCON text leaves open. typesafe-config reports an unclosed block at the
 * end of the file, which says nothing about which block it is; the line that opened it does.
 */
final class Brackets {
    private Brackets() {
    }

    /**
     * A bracket and the line it opened on.
     *
     * @param line 1-based line
     * @param bracket '{' or '['
     * @param closedOn the line of the closer of the other kind that met it first ('}' for a '['),
     *     or 0 when the file ended with it open
     */
    record Open(int line, char bracket, int closedOn) {
    }

    private record Opened(Open open, int indent) {
    }

    /**
     * The bracket left open in {@code text}, if one is: the first met by a closer of the other kind,
     * else one still open at the end. Closers are matched to the nearest opener,
     * so a missing '}' shows as a closer too many at the end; the culprit is then the first block
     * whose closer (on a line of its own) is indented other than the line that opened it, which is
     * where the file's own layout says a '}' went missing. Without such a hint, the innermost open one.
     */
    static Optional<Open> unclosed(String text) {
        Deque<Opened> stack = new ArrayDeque<>();
        Opened suspect = null;
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = ++i;
            } else if (c == '#' || text.startsWith("//", i)) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? text.length() : end + 3;
                line += (int) text.substring(i, end).chars().filter(ch -> ch == '\n').count();
                lineStart = Math.max(lineStart, text.lastIndexOf('\n', end - 1) + 1);
                i = end;
            } else if (c == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n') {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                if (i < text.length() && text.charAt(i) == '"') {
                    i++;
                }
            } else {
                if (c == '{' || c == '[') {
                    stack.push(new Opened(new Open(line, c, 0), indent(text, lineStart)));
                } else if ((c == '}' || c == ']') && !stack.isEmpty()) {
                    Opened top = stack.pop();
                    if ((c == '}') != (top.open().bracket() == '{')) {
                        return Optional.of(new Open(top.open().line(), top.open().bracket(), line));
                    }
                    boolean ownLine = text.substring(lineStart, i).isBlank();
                    if (suspect == null && ownLine && indent(text, lineStart) != top.indent()) {
                        suspect = top;
                    }
                }
                i++;
            }
        }
        if (stack.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(suspect != null ? suspect.open() : stack.peek().open());
    }

    private static int indent(String text, int lineStart) {
        int i = lineStart;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i - lineStart;
    }
}
