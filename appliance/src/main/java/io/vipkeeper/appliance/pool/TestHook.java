package io.vipkeeper.appliance.pool;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test only: with {@code -Dvipkeeper.test.stall-after-state-write=true} the daemon stalls for good
 * right after it wrote the runtime state and before it touches the kernel, so that a test can kill it
 * (SIGKILL) in that window and show that the next start carries out the persisted intent. Never set
 * in production: the launcher and the unit do not pass it.
 */
final class TestHook {
    private static final Logger log = LoggerFactory.getLogger(TestHook.class);
    /** The system property that arms the stall. */
    static final String STALL = "vipkeeper.test.stall-after-state-write";

    private TestHook() {
    }

    /** Stalls the caller for good when {@link #STALL} is set (only a kill ends it). */
    static void afterStateWrite(Path file) {
        if (file == null || !Boolean.getBoolean(STALL)) {
            return;
        }
        log.warn("test hook {}: stalling after writing {}, before the kernel is changed", STALL, file);
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // Only a kill ends the stall: the window must stay open for the test.
            }
        }
    }
}
