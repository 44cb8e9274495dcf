package io.vipkeeper.appliance.daemon;

/** Runs a {@link Daemon} in this JVM on a thread of its own named "daemon" (tests and benchmarks). */
final class DaemonThread {
    private DaemonThread() {
    }

    /** Starts {@code daemon.run()} on a new thread and returns it. */
    static Thread start(Daemon daemon) {
        Thread runner = new Thread(() -> {
            try {
                daemon.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "daemon");
        runner.start();
        return runner;
    }
}
