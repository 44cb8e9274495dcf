package io.vipkeeper.appliance.keepalived;

/**
 * garp_master_repeat and global_defs' vrrp_garp_master_repeat as keepalived runs them
 * (vrrp_garp_rep_handler): 0 is read as 1, and any larger count is sent, where vipkeeper sends at
 * most 255 a burst.
 */
final class GarpRepeat {
    private GarpRepeat() {
    }

    /** The count vipkeeper is given for keepalived's {@code repeats} on line {@code s}, reported where it differs. */
    static int of(ImportContext ctx, Statement s, int repeats) {
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
}
