package io.vipkeeper.vrrp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VrrpVersionTest {

    @Test
    void wireNumbersRoundTrip() {
        assertEquals(Optional.of(VrrpVersion.V2), VrrpVersion.valueOf(2));
        assertEquals(Optional.of(VrrpVersion.V3), VrrpVersion.valueOf(3));
        assertEquals(Optional.empty(), VrrpVersion.valueOf(1));
        assertEquals(3, VrrpVersion.V3.byteValue());
    }

    @Test
    void v2TakesWholeSecondsOnly() {
        assertTrue(VrrpVersion.V2.advertIntervalProblem(Duration.ofSeconds(1)).isEmpty());
        assertTrue(VrrpVersion.V2.advertIntervalProblem(Duration.ofSeconds(255)).isEmpty());
        assertFalse(VrrpVersion.V2.advertIntervalProblem(Duration.ofSeconds(256)).isEmpty());
        assertFalse(VrrpVersion.V2.advertIntervalProblem(Duration.ofMillis(1500)).isEmpty());
        assertFalse(VrrpVersion.V2.advertIntervalProblem(Duration.ofMillis(100)).isEmpty());
    }

    @Test
    void v3TakesCentiseconds() {
        assertTrue(VrrpVersion.V3.advertIntervalProblem(Duration.ofMillis(10)).isEmpty());
        assertTrue(VrrpVersion.V3.advertIntervalProblem(Duration.ofMillis(40_950)).isEmpty());
        assertFalse(VrrpVersion.V3.advertIntervalProblem(Duration.ofMillis(40_960)).isEmpty());
        assertFalse(VrrpVersion.V3.advertIntervalProblem(Duration.ofMillis(15)).isEmpty());
        assertFalse(VrrpVersion.V3.advertIntervalProblem(Duration.ZERO).isEmpty());
    }
}
