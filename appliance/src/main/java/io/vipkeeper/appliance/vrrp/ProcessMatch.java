package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpTrackProcess;
import java.util.List;

/**
 * Whether a running process is one a track-process counts, as keepalived's track_process.c
 * matches: an exact name (no pattern), or argv[0] and the parameters as param-match says.
 */
final class ProcessMatch {
    /** The kernel keeps TASK_COMM_LEN - 1 characters of a name in /proc/PID/comm. */
    static final int COMM_MAX = 15;

    private ProcessMatch() {
    }

    /**
     * One process as /proc shows it.
     *
     * @param comm /proc/PID/comm without its newline
     * @param argv /proc/PID/cmdline split at its NULs (empty for a kernel thread)
     */
    record Seen(String comm, List<String> argv) {
    }

    /** Whether {@code p} counts {@code seen}. */
    static boolean matches(VrrpTrackProcess p, Seen seen) {
        List<String> want = p.command();
        if (!p.usesCommandLine()) {
            String name = want.get(0);
            return seen.comm().equals(name.length() > COMM_MAX ? name.substring(0, COMM_MAX) : name);
        }
        List<String> argv = seen.argv();
        if (argv.isEmpty() || !argv.get(0).equals(want.get(0))) {
            return false;
        }
        List<String> params = want.subList(1, want.size());
        List<String> got = argv.subList(1, argv.size());
        return switch (p.paramMatch()) {
            case NONE -> true;
            case EXACT -> got.equals(params);
            case PARTIAL -> got.size() >= params.size() && got.subList(0, params.size()).equals(params);
            case INITIAL -> initial(params, got);
        };
    }

    private static boolean initial(List<String> params, List<String> got) {
        if (params.isEmpty()) {
            return true;
        }
        int last = params.size() - 1;
        return got.size() >= params.size() && got.subList(0, last).equals(params.subList(0, last))
                && got.get(last).startsWith(params.get(last));
    }
}
