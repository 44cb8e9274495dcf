package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.api.ReloadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last reload's outcome, {@code vipkeeper.reload} in the run directory ({@link RunFiles}),
 * so {@code vipkeeper reload} can report it whether or not the HTTP API is enabled. The sequence
 * number grows with every reload; 0 is the start.
 *
 * <p>One "key value" per line ({@code sequence}, {@code at}, {@code ok}, {@code summary}, then a
 * {@code problem} line each; backslashes and line breaks in values escaped): only vipkeeper writes
 * and reads it, and a JSON library loaded for it cost the daemon ~490 classes at every start.
 */
public final class ReloadResultFile {

    /** What the file holds. */
    public record Entry(long sequence, String at, boolean ok, String summary, List<String> problems) {
        /** The entry of {@code result}. */
        static Entry of(long sequence, ReloadResult result) {
            return new Entry(sequence, result.at().toString(), result.ok(), result.summary(), result.problems());
        }

        /** Back to a result. */
        public ReloadResult result() {
            return new ReloadResult(Instant.parse(at), ok, problems, summary);
        }
    }

    private ReloadResultFile() {
    }

    /** Replaces the file atomically; a failure is returned for the log, never thrown. */
    static Optional<String> write(Path file, long sequence, ReloadResult result) {
        try {
            RunFiles.replace(file, format(Entry.of(sequence, result)));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The file's entry, if it has a readable one. */
    public static Optional<Entry> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String format(Entry e) {
        StringBuilder sb = new StringBuilder();
        sb.append("sequence ").append(e.sequence()).append('\n');
        sb.append("at ").append(escape(e.at())).append('\n');
        sb.append("ok ").append(e.ok()).append('\n');
        sb.append("summary ").append(escape(e.summary() == null ? "" : e.summary())).append('\n');
        e.problems().forEach(p -> sb.append("problem ").append(escape(p)).append('\n'));
        return sb.toString();
    }

    /** The entry in {@code text}; empty if it is incomplete or malformed (a half-written file). */
    static Optional<Entry> parse(String text) {
        Long sequence = null;
        String at = null;
        Boolean ok = null;
        String summary = "";
        List<String> problems = new ArrayList<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : unescape(line.substring(space + 1));
            try {
                switch (key) {
                    case "sequence" -> sequence = Long.parseLong(value);
                    case "at" -> at = Instant.parse(value).toString();
                    case "ok" -> ok = Boolean.parseBoolean(value);
                    case "summary" -> summary = value;
                    case "problem" -> problems.add(value);
                    default -> { }
                }
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        }
        if (sequence == null || at == null || ok == null) {
            return Optional.empty();
        }
        return Optional.of(new Entry(sequence, at, ok, summary, List.copyOf(problems)));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Removes the file at exit. */
    static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file only holds an old sequence number; the next start replaces it.
        }
    }
}
