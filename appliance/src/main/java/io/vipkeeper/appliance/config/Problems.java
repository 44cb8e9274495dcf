package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Collects every problem found while reading a config so that one run reports all of them.
 * A problem reported twice (a shared default seen from several blocks) is kept once.
 */
final class Problems {
    private final Set<ConfigProblem> found = new LinkedHashSet<>();
    private final Problems unknownKeysTo;
    /** How files are named in the problems thrown (the parser sees absolute paths). */
    private final UnaryOperator<String> fileNames;
    /** Every report, duplicates included: a reader that reported nothing has a clean result. */
    private int reports;

    Problems() {
        this(null, UnaryOperator.identity());
    }

    /** Problems whose files are named as {@code fileNames} says when thrown. */
    Problems(UnaryOperator<String> fileNames) {
        this(null, fileNames);
    }

    private Problems(Problems unknownKeysTo, UnaryOperator<String> fileNames) {
        this.unknownKeysTo = unknownKeysTo;
        this.fileNames = fileNames;
    }

    /**
     * A sink that passes only unknown-key problems on to this one and drops the rest: a defaults
     * block is read like an entry to find keys no entry knows, but has no required keys of its own.
     */
    Problems unknownKeysOnly() {
        return new Problems(this, fileNames);
    }

    /** {@code file} as the problems thrown name it. */
    String fileName(String file) {
        return fileNames.apply(file);
    }

    void add(ConfigOrigin origin, String message) {
        add(ConfigProblem.at(origin, message));
    }

    void add(ConfigProblem problem) {
        reports++;
        if (unknownKeysTo == null) {
            found.add(problem);
        }
    }

    void addUnknownKey(ConfigOrigin origin, String message) {
        reports++;
        if (unknownKeysTo != null) {
            unknownKeysTo.addUnknownKey(origin, message);
        } else {
            found.add(ConfigProblem.at(origin, message));
        }
    }

    /** Problems reported so far, duplicates included. */
    int reports() {
        return reports;
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws with every problem, sorted by file and line, if there is any. */
    void throwIfAny() throws InvalidConfigException {
        if (!found.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(found.stream()
                    .map(p -> new ConfigProblem(fileNames.apply(p.file()), p.line(), p.message())).distinct().toList());
            sorted.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
            throw new InvalidConfigException(sorted);
        }
    }
}
