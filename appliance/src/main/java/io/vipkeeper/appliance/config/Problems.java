package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem found while reading a config so that one run reports all of them.
 * A problem reported twice (a shared default seen from several blocks) is kept once.
 */
final class Problems {
    private final Set<ConfigProblem> found = new LinkedHashSet<>();

    void add(ConfigOrigin origin, String message) {
        found.add(ConfigProblem.at(origin, message));
    }

    void add(ConfigProblem problem) {
        found.add(problem);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws with every problem, sorted by file and line, if there is any. */
    void throwIfAny() throws InvalidConfigException {
        if (!found.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
            throw new InvalidConfigException(sorted);
        }
    }
}
