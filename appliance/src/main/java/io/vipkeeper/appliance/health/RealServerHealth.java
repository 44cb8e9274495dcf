package io.vipkeeper.appliance.health;

import java.time.Duration;
import java.time.Instant;

/**
 * What the health checks know about one real server, for the pool policy and the status API.
 *
 * @param up whether the server counts as up (after rise/fall)
 * @param lastResult the last check's outcome in a few words ("connected", "timeout after 1s", ...)
 * @param lastChange when {@code up} last changed (or checking started)
 * @param checks checks run so far
 * @param failures checks that failed so far
 * @param lastLatency duration of the last check
 */
public record RealServerHealth(boolean up, String lastResult, Instant lastChange, long checks, long failures,
        Duration lastLatency) {
}
