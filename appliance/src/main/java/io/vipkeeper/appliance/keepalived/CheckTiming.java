package io.vipkeeper.appliance.keepalived;

/**
 * The timing keepalived inherits from virtual server to real server to checker: delay_loop (60s),
 * connect_timeout (5s), retry (1), alpha. Each level copies its parent and overrides what it sets.
 */
record CheckTiming(long delayLoop, long connectTimeout, int retry, boolean alpha) {
    /** keepalived's defaults (check_data.c, check_api.c). */
    static final CheckTiming DEFAULTS = new CheckTiming(60_000, 5_000, 1, false);

    /** This timing with {@code s} applied, when {@code s} is a timing keyword; else this. */
    CheckTiming apply(Statement s, ImportContext ctx) {
        return switch (s.keyword()) {
            case "delay_loop" -> new CheckTiming(Values.millis(s, 1, ctx.notes).orElse(delayLoop), connectTimeout,
                    retry, alpha);
            case "connect_timeout" -> new CheckTiming(delayLoop, Values.millis(s, 1, ctx.notes).orElse(connectTimeout),
                    retry, alpha);
            case "retry", "nb_get_retry" -> new CheckTiming(delayLoop, connectTimeout,
                    ctx.integer(s, 1, 0, 99).orElse(retry), alpha);
            case "alpha" -> new CheckTiming(delayLoop, connectTimeout, retry, true);
            default -> this;
        };
    }

    /** Whether {@code keyword} is one of the inherited timing keywords. */
    static boolean isTiming(String keyword) {
        return switch (keyword) {
            case "delay_loop", "connect_timeout", "retry", "nb_get_retry", "alpha" -> true;
            default -> false;
        };
    }
}
