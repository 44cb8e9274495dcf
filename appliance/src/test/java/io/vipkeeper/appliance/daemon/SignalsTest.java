package io.vipkeeper.appliance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which signal HotSpot 17 suspends threads with, as its SR_initialize reads _JAVA_SR_SIGNUM. */
class SignalsTest {
    @Test
    void suspendResumeSignalMovesOnlyToWhatHotSpotAccepts() {
        assertEquals(Signals.SIGUSR2, Signals.suspendResumeSignal(null));
        assertEquals(39, Signals.suspendResumeSignal("39"));
        assertEquals(12, Signals.suspendResumeSignal("12"));
        assertEquals(64, Signals.suspendResumeSignal("64"));
        // HotSpot warns and keeps SIGUSR2 for a number not above max(SIGSEGV, SIGBUS) or not below NSIG.
        assertEquals(Signals.SIGUSR2, Signals.suspendResumeSignal("11"));
        assertEquals(Signals.SIGUSR2, Signals.suspendResumeSignal("65"));
        assertEquals(Signals.SIGUSR2, Signals.suspendResumeSignal("rt5"));
    }
}
