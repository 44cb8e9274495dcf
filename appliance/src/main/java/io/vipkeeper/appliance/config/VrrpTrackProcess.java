package io.vipkeeper.appliance.config;

import java.time.Duration;
import java.util.List;

/**
 * A tracked process: an entry of {@code vrrp.track-processes} (keepalived's vrrp_track_process).
 * It is up while the number of matching processes is within quorum..quorumMax.
 *
 * @param name the entry's name, referenced by an instance's {@code track-processes}
 * @param command the process name, then the parameters to match (none: match the name alone)
 * @param paramMatch how parameters match, when there are any or when set
 * @param fullCommand match argv[0] of /proc/PID/cmdline instead of the name in /proc/PID/comm
 * @param weight added to the priority while down; 0 means down = FAULT
 * @param reverse down while the quorum is met, up while it is not
 * @param quorum the fewest matching processes that are up
 * @param quorumMax the most matching processes that are up
 * @param forkDelay how long the quorum must hold before it counts as up
 * @param terminateDelay how long it must be lost before it counts as down
 * @param interval how often /proc is scanned
 */
public record VrrpTrackProcess(String name, List<String> command, ParamMatch paramMatch, boolean fullCommand,
        int weight, boolean reverse, int quorum, int quorumMax, Duration forkDelay, Duration terminateDelay,
        Duration interval) {

    /** How configured parameters match a command line (keepalived's param_match). */
    public enum ParamMatch {
        /** Parameters are not looked at (none configured and param-match left at its default). */
        NONE("none"),
        /** The command line's parameters are exactly the configured ones. */
        EXACT("exact"),
        /** The first parameters are the configured ones; more may follow. */
        PARTIAL("partial"),
        /** As partial, and the last configured one need only start the parameter it meets. */
        INITIAL("initial");

        private final String configName;

        ParamMatch(String configName) {
            this.configName = configName;
        }

        /** The word in the config file. */
        public String configName() {
            return configName;
        }
    }

    /** Whether the command line is looked at (parameters or full-command) rather than the name. */
    public boolean usesCommandLine() {
        return fullCommand || paramMatch != ParamMatch.NONE;
    }
}
