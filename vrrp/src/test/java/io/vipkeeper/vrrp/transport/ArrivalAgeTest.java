package io.vipkeeper.vrrp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.util.NetUtil;
import io.vipkeeper.vrrp.codec.DropReason;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A wall-clock step must not pass for a long-delayed advert (which would bring a takeover early). */
class ArrivalAgeTest {
    private static final long NOW = 1_763_900_000_123_456_789L;

    @Test
    void ageIsTheWallClockDifference() {
        assertEquals(0, ArrivalAge.fromRealtime(NOW, NOW));
        assertEquals(2_500_001L, ArrivalAge.fromRealtime(NOW, NOW - 2_500_001L));
        assertEquals(ArrivalAge.MAX_NANOS, ArrivalAge.fromRealtime(NOW, NOW - ArrivalAge.MAX_NANOS));
    }

    @Test
    void anArrivalInTheFutureOrOverASecondAgoIsAClockStepAndCountsAsUnknown() {
        assertEquals(0, ArrivalAge.fromRealtime(NOW, NOW + 1), "clock stepped back after the arrival");
        assertEquals(0, ArrivalAge.fromRealtime(NOW, NOW - ArrivalAge.MAX_NANOS - 1), "stepped forward");
        assertEquals(0, ArrivalAge.fromRealtime(NOW, NOW - 3_600_000_000_000L));
    }

    @Test
    void unwrappingAndRejectingKeepTheAgeAndANegativeAgeIsRefused() {
        InetAddress a = NetUtil.createInetAddressFromIpAddressString("198.18.0.1");
        InboundPacket p = new InboundPacket(a, a, 255, new byte[8], null, 42);
        assertEquals(42, p.withPayload(new byte[4]).ageNanos());
        assertEquals(42, p.rejectedFor(DropReason.AUTHENTICATION).ageNanos());
        assertEquals(0, new InboundPacket(a, a, 255, new byte[8]).ageNanos(), "unknown by default");
        assertThrows(IllegalArgumentException.class, () -> new InboundPacket(a, a, 255, new byte[8], null, -1));
    }
}
