package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.protocol.VrrpVersion;
import org.junit.jupiter.api.Test;

/** The timer formulas agree with keepalived's microsecond arithmetic. */
class RouterTimersTest {
    @Test
    void v3SkewMatchesKeepalivedFormula() {
        for (int prio = 1; prio <= 254; prio++) {
            for (int cs : new int[] {1, 10, 100, 4095}) {
                long keepalivedMicros = (256L - prio) * cs * 625 / 16;
                assertEquals(keepalivedMicros, RouterTimers.skewNanos(VrrpVersion.V3, prio, cs) / 1000,
                        "prio " + prio + " interval " + cs);
            }
        }
    }

    @Test
    void v2SkewIsInSecondsWhateverTheInterval() {
        assertEquals(609_375_000L, RouterTimers.skewNanos(VrrpVersion.V2, 100, 300));
        assertEquals(3L * 3_000_000_000L + 609_375_000L, RouterTimers.masterDownNanos(VrrpVersion.V2, 100, 300));
    }

    @Test
    void masterDownIntervalAtTenMilliseconds() {
        assertEquals(30_000_000L + 6_093_750L, RouterTimers.masterDownNanos(VrrpVersion.V3, 100, 1));
    }
}
