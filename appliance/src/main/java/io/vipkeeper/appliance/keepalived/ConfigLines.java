package io.vipkeeper.appliance.keepalived;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line layer of keepalived's parser (lib/parser.c, read_line): comments, {@code @id} and
 * {@code @^id} lines against the config id, {@code $NAME=value} definitions (also multi-line ones
 * ending in a backslash) and their {@code $NAME} / {@code ${NAME}} uses, and {@code include} with
 * globs resolved against the including file's directory (keepalived changes into that directory
 * while it reads the file). Only the top file being unreadable is fatal; an include that matches
 * nothing is skipped, as keepalived skips it, with a note.
 */
public final class ConfigLines {
    /** Includes nested deeper than this are a loop (keepalived has no guard and recurses). */
    private static final int MAX_INCLUDE_DEPTH = 32;
    /** A definition whose value uses definitions is expanded at most this many times. */
    private static final int MAX_EXPANSIONS = 32;

    private final String configId;
    private final Notes notes;
    private final Map<String, List<String>> definitions = new HashMap<>();
    private final List<SourceLine> lines = new ArrayList<>();
    private final Deque<Path> files = new ArrayDeque<>();
    private List<String> multiline;

    private ConfigLines(String configId, Notes notes) {
        this.configId = configId;
        this.notes = notes;
    }

    /**
     * Reads {@code file} and everything it includes. {@code configId} is keepalived's
     * {@code --config-id} (its default is the host name up to the first dot); null matches no
     * {@code @id} line.
     */
    public static List<SourceLine> read(Path file, String configId, Notes notes) throws IOException {
        ConfigLines reader = new ConfigLines(configId, notes);
        reader.readFile(file, Files.readAllBytes(file));
        return List.copyOf(reader.lines);
    }

    private void readFile(Path file, byte[] bytes) {
        files.push(file);
        multiline = null;
        String[] raw = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String text = decomment(raw[i]);
            Origin origin = new Origin(file, i + 1);
            if (multiline != null) {
                boolean more = text.endsWith("\\");
                String part = more ? text.substring(0, text.length() - 1).strip() : text;
                if (!part.isEmpty()) {
                    multiline.add(part);
                }
                if (!more) {
                    multiline = null;
                }
                continue;
            }
            if (!text.isEmpty()) {
                process(origin, text, 0);
            }
        }
        multiline = null;
        files.pop();
    }

    private void process(Origin origin, String line, int depth) {
        String text = line;
        if (text.startsWith("@")) {
            boolean reverse = text.startsWith("@^");
            int start = reverse ? 2 : 1;
            int end = firstBlank(text, start);
            if (end < 0) {
                return;
            }
            boolean match = text.substring(start, end).equals(configId);
            if (match == reverse) {
                return;
            }
            text = text.substring(end).strip();
        }
        if (text.startsWith("$") && define(text)) {
            return;
        }
        if (text.startsWith("~SEQ") || text.startsWith("~LST")) {
            notes.leftOut(origin, text.substring(0, 4), "write the lines it would generate out by hand");
            return;
        }
        if (text.indexOf('$') >= 0 && !definitions.isEmpty()) {
            if (depth >= MAX_EXPANSIONS) {
                notes.leftOut(origin, "$", "definitions refer to each other without end; keepalived stops there too");
                return;
            }
            List<String> whole = wholeLineDefinition(text);
            if (whole != null && whole.size() > 1) {
                whole.forEach(l -> process(origin, decomment(l), depth + 1));
                return;
            }
            String replaced = substitute(text);
            if (!replaced.equals(text)) {
                String again = decomment(replaced);
                if (!again.isEmpty()) {
                    process(origin, again, depth + 1);
                }
                return;
            }
        }
        if (isInclude(text)) {
            include(origin, text.substring(firstBlank(text, 0)).strip());
            return;
        }
        lines.add(new SourceLine(origin, text));
    }

    /** keepalived's decomment(): leading/trailing blanks off, {@code !} and {@code #} outside quotes end the line. */
    static String decomment(String raw) {
        String s = raw.replace("\r", "").strip();
        StringBuilder out = new StringBuilder();
        boolean quote = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quote = !quote;
            } else if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(i + 1);
                if (!quote && (next == '#' || next == '!')) {
                    out.append(next);
                } else {
                    out.append(c).append(next);
                }
                i++;
                continue;
            } else if (!quote && (c == '!' || c == '#')) {
                break;
            }
            out.append(c);
        }
        String text = out.toString().strip();
        if (text.endsWith("\\")) {
            text = text.substring(0, text.length() - 1).strip() + "\\";
        }
        return text;
    }

    private boolean define(String text) {
        int i = 1;
        if (i >= text.length() || !(Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
            return false;
        }
        while (i < text.length() && isNameChar(text.charAt(i))) {
            i++;
        }
        if (i >= text.length() || text.charAt(i) != '=') {
            return false;
        }
        String name = text.substring(1, i);
        String value = text.substring(i + 1).strip();
        List<String> valueLines = new ArrayList<>();
        if (value.endsWith("\\")) {
            String first = value.substring(0, value.length() - 1).strip();
            if (!first.isEmpty()) {
                valueLines.add(first);
            }
            multiline = valueLines;
        } else {
            valueLines.add(value);
        }
        definitions.put(name, valueLines);
        return true;
    }

    /** The value of a multi-line definition that is the whole line ({@code $NAME} or {@code ${NAME}}). */
    private List<String> wholeLineDefinition(String text) {
        String name = text.startsWith("${") && text.endsWith("}") ? text.substring(2, text.length() - 1)
                : text.startsWith("$") ? text.substring(1) : null;
        return name == null ? null : definitions.get(name);
    }

    private String substitute(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            boolean braces = text.charAt(i + 1) == '{';
            int start = i + (braces ? 2 : 1);
            int end = start;
            while (end < text.length() && isNameChar(text.charAt(end))) {
                end++;
            }
            String name = text.substring(start, end);
            boolean closed = braces ? end < text.length() && text.charAt(end) == '}'
                    : end >= text.length() || " \t,)".indexOf(text.charAt(end)) >= 0;
            List<String> value = definitions.get(name);
            if (name.isEmpty() || !closed || value == null || value.size() != 1) {
                out.append(c);
                i++;
                continue;
            }
            out.append(value.get(0));
            i = braces ? end + 1 : end;
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static int firstBlank(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == ' ' || text.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** {@code include}, or keepalived 2.3's {@code includer}, {@code includem}, ... variants. */
    private static boolean isInclude(String text) {
        int blank = firstBlank(text, 0);
        String word = blank < 0 ? text : text.substring(0, blank);
        return blank > 0 && (word.equals("include") || word.length() == 8 && word.startsWith("include")
                && "rmbwa".indexOf(word.charAt(7)) >= 0);
    }

    private void include(Origin origin, String pattern) {
        Path dir = files.peek().toAbsolutePath().getParent();
        Path base = Path.of(pattern).isAbsolute() ? Path.of("/") : dir;
        List<Path> matches = Globs.expand(base, pattern);
        if (matches.isEmpty()) {
            notes.note(origin, "include", "\"" + pattern + "\" matches no file; keepalived skips it too");
            return;
        }
        if (files.size() >= MAX_INCLUDE_DEPTH) {
            notes.leftOut(origin, "include", "includes nest " + MAX_INCLUDE_DEPTH + " deep: one includes itself");
            return;
        }
        List<String> saved = multiline;
        for (Path match : matches) {
            Path shown = Path.of(pattern).isAbsolute() ? match : relativeToTop(match);
            try {
                readFile(shown, Files.readAllBytes(match));
            } catch (IOException e) {
                notes.leftOut(origin, "include", "cannot read " + match + " (" + e.getMessage() + "); keepalived skips it");
            }
        }
        multiline = saved;
    }

    /** An included file is named as the top file is (relative when that was given relative). */
    private Path relativeToTop(Path match) {
        Path top = files.peekLast();
        if (top.isAbsolute()) {
            return match;
        }
        Path cwd = Path.of("").toAbsolutePath();
        return match.startsWith(cwd) ? cwd.relativize(match) : match;
    }
}
