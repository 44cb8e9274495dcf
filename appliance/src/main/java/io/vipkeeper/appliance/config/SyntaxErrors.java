package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what a syntax error is about where typesafe-config's words mislead: a block or list left
 * open is reported at the line that opened it (the parser reports the end of the file, or the
 * closer of the other kind it met first), and a line in keepalived's "KEYWORD VALUE" syntax at
 * that line, with what vipkeeper calls the keyword (or the '=' it lacks, for a keyword spelt the
 * same in both).
 */
final class SyntaxErrors {
    private static final String SYNTAX = "syntax error: ";
    /** How the parser quotes the text it took for a key: "Key 'advert_int 1' may not be followed by ...". */
    private static final Pattern KEY = Pattern.compile("Key '([^']+)'");

    private SyntaxErrors() {
    }

    /** {@code p}, or a clearer problem about the same mistake in the files {@code files} read. */
    static ConfigProblem explain(ConfigProblem p, FilesRead files) {
        if (!p.message().startsWith(SYNTAX) || p.line() <= 0) {
            return p;
        }
        Optional<String[]> lines = files.content(Path.of(p.file()))
                .map(b -> new String(b, StandardCharsets.UTF_8).split("\n", -1));
        if (lines.isEmpty()) {
            return p;
        }
        Optional<Brackets.Open> open = Brackets.unclosed(String.join("\n", lines.get()));
        // The parser stops at the end of the file, or at the closer of the other kind.
        if (open.isPresent() && (open.get().closedOn() == 0 ? p.message().contains("end of file")
                : open.get().closedOn() == p.line())) {
            return new ConfigProblem(p.file(), open.get().line(), SYNTAX + "the '" + open.get().bracket()
                    + "' on this line is never closed" + (open.get().closedOn() == 0 ? ""
                    : " (line " + open.get().closedOn() + " closes a '" + (open.get().bracket() == '[' ? '{' : '[')
                    + "' instead)"));
        }
        return keepalivedLine(p, lines.get()).or(() -> withoutEquals(p, lines.get())).orElse(p);
    }

    /**
     * The problem at the line of a "KEY VALUE" the parser took for one key ("priority 150": keepalived's
     * syntax for a keyword vipkeeper spells the same), when KEY is a key of reference.conf.
     */
    private static Optional<ConfigProblem> withoutEquals(ConfigProblem p, String[] lines) {
        Matcher key = KEY.matcher(p.message());
        if (!key.find() || !key.group(1).contains(" ")) {
            return Optional.empty();
        }
        String written = key.group(1).strip();
        String word = KeepalivedKeywords.firstWord(written);
        String value = written.substring(word.length()).strip();
        if (!Reference.KEYS.contains(word) || value.isEmpty()) {
            return Optional.empty();
        }
        return near(p, lines, line -> line.strip().startsWith(written)).map(at -> new ConfigProblem(p.file(), at,
                SYNTAX + "\"" + written + "\" needs an '=': vipkeeper's syntax is KEY = VALUE (" + word + " = " + value
                        + ")"));
    }

    /**
     * The nearest line at or up to two above the error's that passes {@code test}: the parser
     * reports a key it cannot follow at the token after it, on the key's line or a later one.
     */
    private static Optional<Integer> near(ConfigProblem p, String[] lines, Predicate<String> test) {
        for (int i = Math.min(p.line(), lines.length) - 1; i >= 0 && i >= p.line() - 3; i--) {
            if (test.test(lines[i])) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }

    /** Every key name reference.conf has, at any depth; read once, when first asked for. */
    private static final class Reference {
        static final Set<String> KEYS = keys(ConfigLoader.reference().root(), new HashSet<>());

        private static Set<String> keys(ConfigObject o, Set<String> into) {
            o.forEach((k, v) -> {
                into.add(k);
                if (v instanceof ConfigObject child) {
                    keys(child, into);
                }
            });
            return into;
        }
    }

    /**
     * The problem at the nearest line at or above the error whose first word is a keepalived keyword
     * the parser choked on.
     */
    private static Optional<ConfigProblem> keepalivedLine(ConfigProblem p, String[] lines) {
        Matcher key = KEY.matcher(p.message());
        String quoted = key.find() ? KeepalivedKeywords.firstWord(key.group(1)) : null;
        return near(p, lines, line -> {
            String word = KeepalivedKeywords.firstWord(line);
            return (quoted == null || quoted.equals(word)) && KeepalivedKeywords.entry(word).isPresent()
                    && !line.substring(line.indexOf(word) + word.length()).strip().startsWith("=");
        }).map(at -> new ConfigProblem(p.file(), at, SYNTAX + KeepalivedKeywords.hint(
                KeepalivedKeywords.firstWord(lines[at - 1]), "", Set.of()).orElseThrow()
                + "; vipkeeper's syntax is KEY = VALUE"));
    }
}
