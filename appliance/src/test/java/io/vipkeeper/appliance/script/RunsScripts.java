package io.vipkeeper.appliance.script;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that run scripts: a directory for them, threads to run them on, stopped after each test. */
public abstract class RunsScripts {
    @TempDir
    protected Path dir;
    protected final ExecutorService pool = Executors.newCachedThreadPool();
    protected final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    /** A script {@code name} in the test's directory (see {@link ScriptFixtures#script}). */
    protected Path script(String name, String body) throws Exception {
        return ScriptFixtures.script(dir, name, body);
    }
}
