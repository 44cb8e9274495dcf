package io.vipkeeper.appliance.daemon;

import io.vipkeeper.vrrp.linux.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What each signal an operator may send out of keepalived habit does to the daemon; none of them
 * ends it without a handover.
 *
 * <table>
 * <caption>signals</caption>
 * <tr><td>HUP</td><td>reload (ignored with a log line once stopping)</td></tr>
 * <tr><td>INT, TERM</td><td>graceful stop: masters send priority 0</td></tr>
 * <tr><td>USR1</td><td>data dump, as keepalived's</td></tr>
 * <tr><td>USR2</td><td>stats dump, as keepalived's</td></tr>
 * <tr><td>QUIT</td><td>the JVM's thread dump on stdout (the JVM keeps SIGQUIT for itself)</td></tr>
 * <tr><td>PIPE</td><td>ignored by the JVM's own handler</td></tr>
 * <tr><td>ALRM</td><td>logged and ignored (its default action would end the process)</td></tr>
 * <tr><td>WINCH, CONT</td><td>their default action, which ends nothing</td></tr>
 * </table>
 *
 * <p>Handlers run through the JDK's sun.misc.Signal, on a thread of their own per signal.
 */
final class Signals {
    /**
     * HotSpot's thread suspend/resume signal unless {@code _JAVA_SR_SIGNUM} moves it. A SIGUSR2
     * from outside then reaches HotSpot's handler on a thread the JVM does not know and crashes
     * the JVM (SIGSEGV), so the launcher, the unit and the tests set {@code _JAVA_SR_SIGNUM=39}.
     */
    static final int SIGUSR2 = 12;
    private static final Logger log = LoggerFactory.getLogger(Signals.class);
    /** sizeof(struct sigaction) on x86_64 and arm64 glibc; sa_handler is its first field. */
    private static final int SIGACTION_SIZE = 152;
    /** SIG_IGN as sa_handler. */
    private static final long SIG_IGN = 1;
    /** HotSpot 17 takes a _JAVA_SR_SIGNUM above max(SIGSEGV, SIGBUS) and below NSIG (65 on Linux). */
    private static final int SR_MIN = 12;
    private static final int SR_MAX = 64;

    private Signals() {
    }

    /** Installs the handlers of the table above. */
    static void install(Runnable stop, Runnable reload, Runnable dataDump, Runnable statsDump) {
        handle("TERM", stop);
        handle("INT", stop);
        handle("HUP", reload);
        handle("USR1", dataDump);
        if (suspendResumeSignal(System.getenv("_JAVA_SR_SIGNUM")) == SIGUSR2) {
            // Taking SIGUSR2 over replaces HotSpot's handler: no crash, but JFR's method sampling,
            // the only user of suspend/resume in Java 17, stops working.
            log.warn("_JAVA_SR_SIGNUM is not set: SIGUSR2 is the JVM's thread suspend/resume signal; vipkeeper "
                    + "takes it over for the stats dump (set _JAVA_SR_SIGNUM=39 as the launcher and vipkeeper.service do)");
        }
        handle("USR2", statsDump);
        handle("ALRM", () -> log.info("SIGALRM ignored"));
    }

    /**
     * The signal HotSpot uses to suspend and resume threads given the value of
     * {@code _JAVA_SR_SIGNUM}: the value if HotSpot 17 accepts it (it warns and keeps SIGUSR2 for
     * any other), else SIGUSR2.
     */
    static int suspendResumeSignal(String env) {
        if (env == null) {
            return SIGUSR2;
        }
        try {
            int n = Integer.parseInt(env.strip());
            return n >= SR_MIN && n <= SR_MAX ? n : SIGUSR2;
        } catch (NumberFormatException e) {
            return SIGUSR2;
        }
    }

    /**
     * Runs {@code action} whenever {@code name} arrives. A signal the daemon was started with
     * ignored (SIGHUP under {@code nohup}, SIGINT in a background job) is set back to its default
     * first: the JVM quietly leaves an ignored SIGHUP/SIGINT/SIGTERM ignored, and reloads would
     * then do nothing.
     */
    static void handle(String name, Runnable action) {
        Signal signal = new Signal(name);
        if (ignored(signal.getNumber())) {
            byte[] defaults = new byte[SIGACTION_SIZE];
            if (Native.LIBC.sigaction(signal.getNumber(), defaults, null) == 0
                    && !"1".equals(System.getenv("VIPKEEPER_SIGNALS_DEFERRED"))) { // the launcher's own doing
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
