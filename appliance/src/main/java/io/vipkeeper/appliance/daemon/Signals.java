package io.vipkeeper.appliance.daemon;

import io.vipkeeper.vrrp.linux.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** POSIX signal handlers (SIGHUP for reload, SIGTERM/SIGINT for shutdown) through the JDK's sun.misc.Signal. */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);
    /** sizeof(struct sigaction) on x86_64 and arm64 glibc; sa_handler is its first field. */
    private static final int SIGACTION_SIZE = 152;
    /** SIG_IGN as sa_handler. */
    private static final long SIG_IGN = 1;

    private Signals() {
    }

    /**
     * Runs {@code action} on the JDK's signal dispatch thread whenever {@code name} arrives. A
     * signal the daemon was started with ignored (SIGHUP under {@code nohup}, SIGINT in a
     * background job) is set back to its default first: the JVM quietly leaves an ignored
     * SIGHUP/SIGINT/SIGTERM ignored, and reloads would then do nothing.
     */
    static void handle(String name, Runnable action) {
        Signal signal = new Signal(name);
        if (ignored(signal.getNumber())) {
            byte[] defaults = new byte[SIGACTION_SIZE];
            if (Native.LIBC.sigaction(signal.getNumber(), defaults, null) == 0) {
                log.info("SIG{} was ignored by whoever started vipkeeper (nohup?); handling it anyway", name);
            }
        }
        Signal.handle(signal, s -> action.run());
    }

    private static boolean ignored(int number) {
        byte[] old = new byte[SIGACTION_SIZE];
        if (Native.LIBC.sigaction(number, null, old) != 0) {
            return false;
        }
        return java.nio.ByteBuffer.wrap(old).order(java.nio.ByteOrder.nativeOrder()).getLong(0) == SIG_IGN;
    }
}
