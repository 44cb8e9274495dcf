package io.vipkeeper.appliance.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a config file has one or more problems; carries all of them, in file order. */
public final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, each with file and line. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
