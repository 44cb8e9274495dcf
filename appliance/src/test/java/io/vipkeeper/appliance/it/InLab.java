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

    @BeforeEach
    void createLab() throws Exception {
        lab = Lab.create();
        nodes(lab);
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }
}
