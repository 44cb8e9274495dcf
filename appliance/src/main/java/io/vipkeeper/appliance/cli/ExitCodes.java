package io.vipkeeper.appliance.cli;

/** Exit statuses of the vipkeeper command, as scripts and systemd see them. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The config file has problems (listed on stderr). */
    public static final int INVALID_CONFIG = 1;
    /** The command line was wrong (picocli's usage error). */
    public static final int USAGE = 2;
    /** The command could not do its job (no IPVS in the kernel, permission denied, ...). */
    public static final int FAILURE = 1;

    private ExitCodes() {
    }
}
