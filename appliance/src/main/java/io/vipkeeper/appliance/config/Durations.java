package io.vipkeeper.appliance.config;

import java.time.Duration;

/** Formats durations the way the config writes them (100ms, 5s, 2m). */
public final class Durations {
    private Durations() {
    }

    /** "100ms", "5s", "2m". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms != 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
