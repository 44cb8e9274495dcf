package io.vipkeeper.appliance.keepalived;

import java.nio.file.Path;

/** Where a keepalived line came from, printed as {@code FILE:LINE} in every report. */
public record Origin(Path file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
