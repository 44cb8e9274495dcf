package io.vipkeeper.appliance.daemon;

import sun.misc.Signal;

/** POSIX signal handlers (SIGHUP for reload, SIGTERM/SIGINT for shutdown) through the JDK's sun.misc.Signal. */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on the JDK's signal dispatch thread whenever {@code name} arrives. */
    static void handle(String name, Runnable action) {
        Signal.handle(new Signal(name), s -> action.run());
    }
}
