package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9568 starts Master_Down_Timer and Skew_Time at an advert's reception: a packet that reached
 * the host {@code age} before the router saw it moves the takeover exactly that much earlier.
 */
class ReceptionTimeTest {
    private static final InetAddress MASTER = SimulatedSegment.ip("198.18.0.9");
    private static final long RECEIVED_AT = 1_000_000_000L;
    /** Master_Down_Interval of the priority-100 backup with 100 cs adverts: 3 s + 156/256 s. */
    private static final long MASTER_DOWN = RouterTimers.masterDownNanos(VrrpVersion.V3, 100, 100);
    /** Skew_Time of the same backup. */
    private static final long SKEW = RouterTimers.skewNanos(VrrpVersion.V3, 100, 100);

    /** When a backup, given one advert of {@code priority} and {@code age} at 1 s, becomes master. */
    private static long takeoverAt(int priority, long age) {
        SimulatedSegment seg = new SimulatedSegment();
        SimulatedSegment.Node b = seg.add("b", 2, 100);
        b.router.start();
        seg.clock.advance(Duration.ofNanos(RECEIVED_AT));
        InetAddress group = VrrpMulticast.IPV4;
        byte[] advert = VrrpEncoder.encode(VrrpAdvertisement.v3(51, priority, 100, List.of(SimulatedSegment.VIP)),
                MASTER, group);
        b.dispatcher.receive(new InboundPacket(MASTER, group, 255, advert, null, age));
        seg.clock.advanceMillis(10_000);
        Transition t = seg.transitions.get(seg.transitions.size() - 1);
        assertEquals(RouterState.MASTER, t.to());
        return t.atNanos();
    }

    @Test
    void masterDownRunsFromReception() {
        long age = 123_456_789L;
        assertEquals(RECEIVED_AT + MASTER_DOWN, takeoverAt(200, 0), "unknown age: from processing, as before");
        assertEquals(RECEIVED_AT + MASTER_DOWN - age, takeoverAt(200, age));
    }

    @Test
    void skewTimeAfterPriorityZeroRunsFromReception() {
        long age = 7_654_321L;
        assertEquals(RECEIVED_AT + SKEW, takeoverAt(0, 0));
        assertEquals(RECEIVED_AT + SKEW - age, takeoverAt(0, age));
    }

    @Test
    void anAdvertOlderThanTheTimerMakesTheTakeoverImmediate() {
        assertEquals(RECEIVED_AT, takeoverAt(0, SKEW + 1), "never a negative delay");
        assertEquals(RECEIVED_AT, takeoverAt(200, MASTER_DOWN + 1));
    }

    @Test
    void theTimerIsLeftForTheNextAdvertNotTheOldOne() {
        SimulatedSegment seg = new SimulatedSegment();
        SimulatedSegment.Node b = seg.add("b", 2, 100);
        b.router.start();
        seg.clock.advance(Duration.ofNanos(RECEIVED_AT));
        byte[] advert = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 200, 100, List.of(SimulatedSegment.VIP)),
                MASTER, VrrpMulticast.IPV4);
        b.dispatcher.receive(new InboundPacket(MASTER, VrrpMulticast.IPV4, 255, advert, null, 500_000_000L));
        b.dispatcher.receive(new InboundPacket(MASTER, VrrpMulticast.IPV4, 255, advert, null, 0));
        seg.clock.advance(Duration.ofNanos(MASTER_DOWN - 1));
        assertEquals(RouterState.BACKUP, b.state(), "the newer advert of a queued pair re-armed the full interval");
        seg.clock.advance(Duration.ofNanos(1));
        assertEquals(RouterState.MASTER, b.state());
    }
}
