package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scheduler autogroup of this process's session (kernel.sched_autogroup_enabled, on in
 * Debian's kernels): niceness ranks threads only inside one autogroup, and every session (each
 * shell, each build, each VM started from another terminal) is an autogroup of its own that
 * competes as a whole. A lab whose daemons run at nice -10 while another session builds or boots a
 * VM gets one session's share, nice or not: the fault lab saw both daemons paused 500 ms at the
 * same moment (a young GC of 3 MB) and a backup's spurious takeover (seed 701). So a lab that asks
 * for a niceness gives its whole session that niceness too, where the kernel lets it: a container
 * (CI runs in one) may refuse the write, and then the lab goes on at plain niceness and says so.
 */
final class Autogroup {
    private static final Path SELF = Path.of("/proc/self/autogroup");
    private static boolean raised;

    private Autogroup() {
    }

    /**
     * Sets this session's autogroup niceness to {@code nice} once (root may lower it); a kernel
     * without autogroups has nothing to set, and one that refuses the write gets a line on stderr.
     */
    static synchronized void raiseTo(int nice) {
        if (raised || !Files.isWritable(SELF)) {
            return;
        }
        try {
            Files.writeString(SELF, Integer.toString(nice));
            raised = true;
        } catch (IOException e) {
            raised = true;
            System.err.println("lab: cannot set this session's autogroup niceness to " + nice + " in " + SELF
                    + " (" + e.getMessage() + "); the daemons share the CPU with other sessions as equals");
        }
    }
}
