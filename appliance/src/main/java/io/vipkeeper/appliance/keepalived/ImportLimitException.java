package io.vipkeeper.appliance.keepalived;

import java.io.IOException;

/**
 * A keepalived file the import refuses to read on: it would expand past one of the limits that keep
 * a hostile or looping file (definitions that multiply, a file that includes itself twice, blocks
 * nested without end) from exhausting memory or stack. The message is one {@code FILE:LINE: ...}
 * line naming the limit.
 */
public final class ImportLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    ImportLimitException(Origin origin, String what) {
        super(origin + ": " + what);
    }
}
