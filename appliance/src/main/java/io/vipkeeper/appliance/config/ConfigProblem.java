package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigOrigin;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mistake in a config file, located by file and line so an operator can go straight to it.
 *
 * @param file the file as the operator named it (or as an include resolved it); never null
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param message what is wrong, starting with the key path it concerns
 */
public record ConfigProblem(String file, int line, String message) {
    private static final String MERGE_OF = "merge of ";
    /** One place in a merged origin's description: "FILE: LINE" or "FILE: FIRST-LAST". */
    private static final Pattern PLACE = Pattern.compile("([^,]+?): (\\d{1,9})(?:-\\d{1,9})?(?:,|$)");

    /** A problem located at {@code origin}, which may be a user file or a bundled resource. */
    static ConfigProblem at(ConfigOrigin origin, String message) {
        if (origin.lineNumber() <= 0 && origin.description().startsWith(MERGE_OF)) {
            // typesafe-config gives a value put together in several places (a block written in the
            // file and an include, or over reference.conf; a string concatenated with a substituted
            // default) no file and no line, only "merge of A: 3,B: 10": the first file stands for it.
            Matcher place = PLACE.matcher(origin.description().substring(MERGE_OF.length()));
            while (place.find()) {
                if (!place.group(1).contains(" @ ")) {
                    return new ConfigProblem(place.group(1), Integer.parseInt(place.group(2)), message);
                }
            }
        }
        String file = origin.filename();
        if (file == null) {
            file = origin.resource() != null ? origin.resource() : origin.description();
        }
        return new ConfigProblem(file, Math.max(0, origin.lineNumber()), message);
    }

    /** {@code FILE:LINE: message}, or {@code FILE: message} when there is no line. */
    public String format() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
