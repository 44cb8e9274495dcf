package io.vipkeeper.appliance.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that run processes in a fresh {@link Lab}, torn down after each test. */
abstract class InLab {
    @TempDir
    protected Path dir;
    protected Lab lab;

    /** Adds the test's nodes to a new lab. */
    protected abstract void nodes(Lab newLab) throws Exception;

    /** The nodes' /24 as three octets; tests of one slice may keep to a range of their own. */
    protected String subnet() {
        return "198.18.1";
    }

    @BeforeEach
    void createLab() throws Exception {
        lab = Lab.create(subnet());
        nodes(lab);
    }

    /** Whether {@code ip} is on node {@code node}'s eth0 (a failed look is an error of the test). */
    protected boolean holds(String node, String ip) {
        try {
            return lab.has(node, ip);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }
}
