package io.vipkeeper.appliance.cli;

/** Exit statuses of the vipkeeper command, as scripts and systemd see them. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The config file has problems (listed on stderr). */
    public static final int INVALID_CONFIG = 1;
    /** The command failed (one line on stderr says why); the same number as a bad config. */
    public static final int FAILED = 1;
    /** The command line was wrong (picocli's usage error). */
    public static final int USAGE = 2;
    /** {@code realserver status}: not set up, LSB's "program is not running" so init scripts read it. */
    public static final int NOT_UP = 3;

    private ExitCodes() {
    }
}
