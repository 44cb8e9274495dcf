package io.vipkeeper.appliance.api;

import java.util.Locale;

/**
 * Which form of {@code GET /status} a request's {@code Accept} header asks for: the JSON document
 * (the default, also for {@code *}{@code /*}) or, when {@code text/plain} comes before any
 * {@code application/json} in the header, the table {@code vipkeeper status} prints, rendered by
 * the daemon so the command need not start a JSON parser ({@code curl -H 'Accept: text/plain'}
 * shows the same). Quality values are not weighed: the first of the two named wins.
 */
final class StatusMediaType {
    private StatusMediaType() {
    }

    /** Whether {@code accept} (null without the header) asks for the text table. */
    static boolean text(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (type.equals("text/plain")) {
                return true;
            }
            if (type.equals("application/json")) {
                return false;
            }
        }
        return false;
    }
}
