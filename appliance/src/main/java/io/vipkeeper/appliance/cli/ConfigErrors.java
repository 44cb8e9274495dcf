package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.ConfigProblem;
import io.vipkeeper.appliance.config.InvalidConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** How every command reports a bad config file: one {@code file:line} line per problem, then a count. */
final class ConfigErrors {
    private ConfigErrors() {
    }

    /** Prints every problem of {@code e} and the closing count to {@code err}; returns the exit code. */
    static int report(PrintWriter err, Path file, InvalidConfigException e) {
        for (ConfigProblem p : e.problems()) {
            err.println(p.format());
        }
        int n = e.problems().size();
        err.println(file + ": " + n + " problem" + (n == 1 ? "" : "s") + ", nothing was changed");
        err.flush();
        return ExitCodes.INVALID_CONFIG;
    }
}
