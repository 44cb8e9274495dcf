package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigOrigin;

/**
 * One mistake in a config file, located by file and line so an operator can go straight to it.
 *
 * @param file the file as the operator named it (or as an include resolved it); never null
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param message what is wrong, starting with the key path it concerns
 */
public record ConfigProblem(String file, int line, String message) {

    /** A problem located at {@code origin}, which may be a user file or a bundled resource. */
    static ConfigProblem at(ConfigOrigin origin, String message) {
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
