package io.vipkeeper.appliance.pool;

import java.util.HashSet;
import java.util.Set;

/**
 * Which failures to log at error level: each once while it lasts, again when it went away for a
 * run and came back. Retries every interval would otherwise repeat the same line forever. Used
 * on the reconcile thread only.
 */
final class FailureLog {
    /** Failures logged while they last. */
    private final Set<String> reported = new HashSet<>();
    /** The failures of the run in progress. */
    private final Set<String> thisRun = new HashSet<>();

    /** A run starts. */
    void startRun() {
        thisRun.clear();
    }

    /** Whether {@code message} is new (to be logged at error level), noting it for this run. */
    boolean firstReport(String message) {
        thisRun.add(message);
        return reported.add(message);
    }

    /** The run ended: failures it did not see are over. */
    void endRun() {
        reported.retainAll(thisRun);
    }
}
