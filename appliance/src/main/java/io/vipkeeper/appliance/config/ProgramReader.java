package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.config.ConfigNode.Element;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads the programs a config names (tracking scripts, script checks, notify programs): the
 * program must be an absolute path that is safe to run ({@link ScriptSecurity}), and the user it
 * runs as must exist.
 */
final class ProgramReader {
    private static final Duration MS10 = Duration.ofMillis(10);
    private static final Duration HOUR = Duration.ofHours(1);

    private ProgramReader() {
    }

    /** A required {@code command}: program and arguments, the program absolute and safe; null on a problem. */
    static List<String> command(ConfigNode n) {
        if (!n.has("command")) {
            n.problemHere("missing required key command");
            return null;
        }
        List<Element<String>> parts = n.stringList("command");
        if (parts.isEmpty()) {
            n.problem("command", "must name a program");
            return null;
        }
        String program = parts.get(0).value();
        if (!program.startsWith("/")) {
            n.problem("command", "\"" + program + "\" is not an absolute path (scripts run without a shell or PATH)");
            return null;
        }
        if (!safe(n, "command", program)) {
            return null;
        }
        return parts.stream().map(Element::value).toList();
    }

    /** The program of {@code key} (a path, "" = none) run as {@code userKey} within {@code timeoutKey}. */
    static Optional<Program> notify(ConfigNode n, String key, String userKey, String timeoutKey) {
        Optional<String> path = n.optionalString(key);
        n.value(userKey);
        n.value(timeoutKey);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        // Read only for a program that runs: thousands of real servers may name none.
        Optional<ScriptUser> user = user(n, userKey);
        Duration timeout = n.duration(timeoutKey, MS10, HOUR);
        if (!path.get().startsWith("/")) {
            n.problem(key, "\"" + path.get() + "\" is not an absolute path");
            return Optional.empty();
        }
        if (!safe(n, key, path.get()) || user == null || timeout == null) {
            return Optional.empty();
        }
        return Optional.of(new Program(List.of(path.get()), user, timeout));
    }

    /** The user of {@code key}: USER or USER:GROUP, "" = the daemon's own; null on a problem. */
    static Optional<ScriptUser> user(ConfigNode n, String key) {
        Optional<String> spec = n.optionalString(key);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ScriptUsers.resolve(spec.get()));
        } catch (IllegalArgumentException e) {
            n.problem(key, e.getMessage());
            return null;
        }
    }

    private static boolean safe(ConfigNode n, String key, String program) {
        Optional<String> unsafe = ScriptSecurity.problemIfExists(program);
        unsafe.ifPresent(why -> n.problem(key, "\"" + program + "\" is unsafe: " + why
                + " (a script and the directories above it must be owned by root and writable only by root)"));
        return unsafe.isEmpty();
    }
}
