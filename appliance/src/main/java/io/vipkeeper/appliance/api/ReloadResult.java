package io.vipkeeper.appliance.api;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one reload.
 *
 * @param at when it finished
 * @param ok whether the new config is in force
 * @param problems why not (each with file:line), empty when ok
 * @param summary what changed ("web: priority 150 -> 160; virtual server api added") or why it failed, one line
 */
public record ReloadResult(Instant at, boolean ok, List<String> problems, String summary) {
    /** Copies the problems. */
    public ReloadResult {
        problems = List.copyOf(problems);
    }
}
