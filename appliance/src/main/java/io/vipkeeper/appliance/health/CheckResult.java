package io.vipkeeper.appliance.health;

/**
 * The outcome of one check.
 *
 * @param ok whether the real server passed
 * @param reason a few words: "connected", "connection refused", "timeout after 1s", "status 503"
 */
public record CheckResult(boolean ok, String reason) {

    /** A passed check. */
    public static CheckResult up(String reason) {
        return new CheckResult(true, reason);
    }

    /** A failed check. */
    public static CheckResult down(String reason) {
        return new CheckResult(false, reason);
    }
}
