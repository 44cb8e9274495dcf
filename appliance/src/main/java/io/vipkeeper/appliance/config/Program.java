package io.vipkeeper.appliance.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A program vipkeeper runs for the operator (a tracking script, a notify program, a script health
 * check): what runs, as whom, and for how long at most.
 *
 * @param command the program (an absolute path) and its arguments, run without a shell
 * @param user the user it runs as; empty = the daemon's own (root)
 * @param timeout a run still going after this is killed with every process it started
 */
public record Program(List<String> command, Optional<ScriptUser> user, Duration timeout) {
    public Program {
        command = List.copyOf(command);
    }

    /** The program file, {@code command[0]}. */
    public String path() {
        return command.get(0);
    }

    /** The same program with {@code args} appended (notify programs get the event as arguments). */
    public Program withArguments(String... args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return new Program(all, user, timeout);
    }
}
