package io.vipkeeper.appliance.keepalived;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * keepalived's numbers as its handlers read them: whole numbers within a range, times in seconds
 * with up to six decimals. A value keepalived refuses is reported as the fallback keepalived takes
 * (it ignores the line and keeps its default), so the import keeps the default too.
 */
final class Values {
    private Values() {
    }

    /** Word {@code i} as an integer in {@code min..max}, or empty (reported) when keepalived ignores it. */
    static OptionalInt integer(Statement s, int i, int min, int max, Notes notes) {
        return integer(s, i, min, max, notes, "the line");
    }

    /**
     * The same for an option of a line ({@code what}, e.g. "its maxlen option"), where keepalived
     * drops only that option and keeps the rest of the line.
     */
    static OptionalInt integer(Statement s, int i, int min, int max, Notes notes, String what) {
        Optional<String> word = s.word(i);
        try {
            long v = Long.parseLong(word.orElseThrow());
            if (v >= min && v <= max) {
                return OptionalInt.of((int) v);
            }
        } catch (RuntimeException e) {
            // reported below
        }
        notes.fallback(s.origin(), s.keyword(), "\"" + word.orElse("") + "\" is not a number in " + min + ".." + max
                + "; keepalived ignores " + what + " and keeps its default, and so does the import");
        return OptionalInt.empty();
    }

    /** Word {@code i} as seconds (decimals allowed) in milliseconds, or empty (reported). */
    static OptionalLong millis(Statement s, int i, Notes notes) {
        Optional<String> word = s.word(i);
        try {
            BigDecimal seconds = new BigDecimal(word.orElseThrow());
            if (seconds.signum() >= 0) {
                return OptionalLong.of(seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
            }
        } catch (RuntimeException e) {
            // reported below
        }
        notes.fallback(s.origin(), s.keyword(), "\"" + word.orElse("") + "\" is not a time in seconds; keepalived "
                + "ignores the line and keeps its default, and so does the import");
        return OptionalLong.empty();
    }

    /** keepalived's BOOL: no word is true, else true/on/yes or false/off/no; anything else is reported. */
    static boolean bool(Statement s, Notes notes) {
        String w = s.word(1).orElse("true").toLowerCase(java.util.Locale.ROOT);
        if (w.equals("true") || w.equals("on") || w.equals("yes")) {
            return true;
        }
        if (!w.equals("false") && !w.equals("off") && !w.equals("no")) {
            notes.fallback(s.origin(), s.keyword(), "\"" + w + "\" is not a boolean; keepalived ignores the line, "
                    + "and so does the import");
        }
        return false;
    }

    /** A vipkeeper duration: whole seconds as {@code 5s}, else milliseconds. */
    static Hocon.Raw duration(long millis) {
        return new Hocon.Raw(millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms");
    }

    /** keepalived's {@code user USER [GROUP]} as vipkeeper's "USER" or "USER:GROUP". */
    static String user(Statement s) {
        return s.word(1).orElse("") + s.word(2).map(g -> ":" + g).orElse("");
    }

    /** A config key made from keepalived words: dots and other signs become dashes. */
    static String key(String text) {
        String k = text.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        return k.isEmpty() ? "unnamed" : k;
    }
}
