package io.vipkeeper.appliance.keepalived;

import java.util.Optional;

/**
 * garp_master_delay, _repeat and _refresh (and global_defs' vrrp_garp_master_* defaults) as
 * keepalived runs them (vrrp_garp_*_handler): whole seconds, 0 repeats read as 1, and counts or
 * times past vipkeeper's limits noted where they are written as the limit.
 */
final class Garp {
    /** keepalived's largest garp_master_delay, UINT_MAX / TIMER_HZ seconds. */
    private static final long KEEPALIVED_MAX_DELAY = 4294;
    /** keepalived's largest garp_master_refresh, UINT_MAX seconds. */
    private static final long KEEPALIVED_MAX_REFRESH = 4_294_967_295L;
    /** vipkeeper's limits (reference.conf): master-delay 1000s, master-refresh 24h. */
    private static final long MAX_DELAY = 1000;
    private static final long MAX_REFRESH = 86_400;

    private Garp() {
    }

    /** The count vipkeeper is given for keepalived's {@code repeats} on line {@code s}, reported where it differs. */
    static int repeat(ImportContext ctx, Statement s, int repeats) {
        if (repeats == 0) {
            ctx.notes.fallback(s.origin(), s.keyword(), "0: keepalived sends 1, and so does the import");
            return 1;
        }
        if (repeats > 255) {
            ctx.notes.note(s.origin(), s.keyword(), "keepalived sends " + repeats + " a burst; vipkeeper sends at "
                    + "most 255, written as 255");
            return 255;
        }
        return repeats;
    }

    /** A garp delay (or, with {@code refresh}, a refresh) as vipkeeper's duration; empty when keepalived ignores it. */
    static Optional<Hocon.Raw> seconds(ImportContext ctx, Statement s, boolean refresh) {
        long millis = Values.millis(s, 1, ctx.notes).orElse(-1);
        if (millis < 0) {
            return Optional.empty();
        }
        long seconds = millis / 1000;
        if (seconds > (refresh ? KEEPALIVED_MAX_REFRESH : KEEPALIVED_MAX_DELAY)) {
            ctx.notes.fallback(s.origin(), s.keyword(), "above keepalived's " + (refresh ? KEEPALIVED_MAX_REFRESH
                    : KEEPALIVED_MAX_DELAY) + " seconds: keepalived ignores the line, and so does the import");
            return Optional.empty();
        }
        if (millis % 1000 != 0) {
            ctx.notes.fallback(s.origin(), s.keyword(), "keepalived reads whole seconds: it runs " + seconds
                    + "s, and so does the import");
        }
        long max = refresh ? MAX_REFRESH : MAX_DELAY;
        if (seconds > max) {
            ctx.notes.note(s.origin(), s.keyword(), "vipkeeper takes at most " + max + " seconds, written as " + max);
            seconds = max;
        }
        return Optional.of(Values.duration(seconds * 1000));
    }
}
