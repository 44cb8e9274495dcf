package io.vipkeeper.appliance.keepalived;

import java.io.IOException;
import java.io.InputStream;
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
 *
 * <p>keepalived itself bounds only the line: a substitution that would make a line longer than its
 * read buffer (MAXBUF, 1024) is not made. The import adds bounds keepalived lacks, so a file that
 * multiplies (nested definitions, a file that includes itself twice) ends in
 * {@link ImportLimitException} instead of exhausting memory: at most {@value #MAX_LINES} lines
 * processed, {@value #MAX_FILE_READS} files read and {@value #MAX_BYTES} bytes read in all.
 */
public final class ConfigLines {
    /** Includes nested deeper than this are a loop (keepalived has no guard and recurses). */
    private static final int MAX_INCLUDE_DEPTH = 32;
    /** A definition whose value uses definitions is expanded at most this many times. */
    private static final int MAX_EXPANSIONS = 32;
    /** keepalived's MAXBUF: a substitution that makes a line this long or longer is not made. */
    static final int MAX_LINE = 1024;
    /** Lines processed in all (read, or produced by definitions); far above any real config. */
    static final int MAX_LINES = 500_000;
    /** Files read in all, each include of the same file counting again. */
    static final int MAX_FILE_READS = 10_000;
    /** Bytes read from all files together. */
    static final int MAX_BYTES = 64 << 20;

    private final String configId;
    private final Notes notes;
    private final Map<String, List<String>> definitions = new HashMap<>();
    private final List<SourceLine> lines = new ArrayList<>();
    private final Deque<Path> files = new ArrayDeque<>();
    private List<String> multiline;
    private int linesProcessed;
    private int fileReads;
    private long bytesRead;

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
        reader.readFile(file, reader.bytes(file, new Origin(file, 0)));
        return List.copyOf(reader.lines);
    }

    /** The file's bytes, counted against the limits; {@code at} is where it is included. */
    private byte[] bytes(Path file, Origin at) throws IOException {
        if (++fileReads > MAX_FILE_READS) {
            throw new ImportLimitException(at, "include: more than " + MAX_FILE_READS + " files read in all "
                    + "(a file included again and again); the import stops");
        }
        try (InputStream in = Files.newInputStream(file)) {
            // readNBytes, not readAllBytes: a device or an endless file must not fill memory.
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES - bytesRead + 1));
            bytesRead += bytes.length;
            if (bytesRead > MAX_BYTES) {
                throw new ImportLimitException(at, "more than " + (MAX_BYTES >> 20) + " MiB read in all; the import "
                        + "stops");
            }
            return bytes;
        }
    }

    private void readFile(Path file, byte[] bytes) throws ImportLimitException {
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

    private void process(Origin origin, String line, int depth) throws ImportLimitException {
        if (++linesProcessed > MAX_LINES) {
            throw new ImportLimitException(origin, "more than " + MAX_LINES + " lines with includes and definitions "
                    + "expanded; the import stops");
        }
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
                for (String l : whole) {
                    process(origin, decomment(l), depth + 1);
                }
                return;
            }
            String replaced = substitute(text);
            if (replaced == null) {
                notes.leftOut(origin, "$", "substituting the definitions makes the line " + MAX_LINE + " characters "
                        + "or longer; keepalived does not substitute it either: shorten the definitions");
                return;
            }
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

    /** {@code text} with its definitions substituted, or null when that reaches {@link #MAX_LINE}. */
    private String substitute(String text) {
        StringBuilder out = new StringBuilder();
        boolean substituted = false;
        int i = 0;
        while (i < text.length()) {
            if (substituted && out.length() >= MAX_LINE) {
                return null;
            }
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
            substituted = true;
            i = braces ? end + 1 : end;
        }
        return substituted && out.length() >= MAX_LINE ? null : out.toString();
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

    private void include(Origin origin, String pattern) throws ImportLimitException {
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
                readFile(shown, bytes(match, origin));
            } catch (ImportLimitException e) {
                throw e;
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
