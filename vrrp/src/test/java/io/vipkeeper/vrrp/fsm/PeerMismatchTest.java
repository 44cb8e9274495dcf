package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.InMemoryNetwork;
import io.vipkeeper.vrrp.transport.InboundPacket;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * A VRRPv3 master beside peers configured differently on a virtual clock: their adverts are
 * dropped (other addresses: accepted), logged once per sender and reason (again after a quiet
 * minute), and reported as active for 3 Master_Down_Intervals at the slower interval.
 */
class PeerMismatchTest {
    private static final InetAddress SELF = SimulatedSegment.ip("198.18.0.1");
    private static final InetAddress PEER = SimulatedSegment.ip("198.18.0.2");
    private static final InetAddress PEER2 = SimulatedSegment.ip("198.18.0.3");
    private static final List<InetAddress> VIPS = List.of(SimulatedSegment.VIP);
    private static final List<InetAddress> OTHER_VIPS = List.of(SimulatedSegment.ip("198.18.0.200"));

    private final VirtualClock clock = new VirtualClock();
    private final RecordingLogger log = new RecordingLogger();
    private VirtualRouter router;
    private VrrpDispatcher dispatcher;

    /** A v3 master at priority 100 advertising every {@code intervalCentis}. */
    private void master(int intervalCentis) {
        VrrpTransport transport = new InMemoryNetwork(clock, 100_000).attach(SELF);
        AddressOwner none = new AddressOwner() {
            @Override
            public void claim() {
            }

            @Override
            public void release() {
            }
        };
        router = new VirtualRouter(RouterConfig.v3("vi_1", 51, 100, intervalCentis, SELF, VIPS), clock,
                new TransportActions(transport, List.of(), none), log);
        dispatcher = new VrrpDispatcher(transport);
        dispatcher.add(router);
        router.start();
        clock.advanceMillis(5_000);
        assertEquals(RouterState.MASTER, router.state());
    }

    private void inject(byte[] message, InetAddress source, int ttl) {
        dispatcher.receive(new InboundPacket(source, VrrpMulticast.IPV4, ttl, message));
    }

    private void inject(VrrpAdvertisement ad, InetAddress source) {
        inject(VrrpEncoder.encode(ad, source, VrrpMulticast.IPV4), source, 255);
    }

    /** keepalived's default: VRRPv2, priority 150, 1 s. */
    private static VrrpAdvertisement v2() {
        return VrrpAdvertisement.v2(51, 150, 1, VIPS, V2AuthType.NONE, new byte[8]);
    }

    private List<String> warnings() {
        return log.at(Level.WARN);
    }

    private PeerMismatch only() {
        List<PeerMismatch> all = router.mismatches();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    @Test
    void aV2PeerIsLoggedOnceAndAgainOnlyAfterAQuietMinute() {
        master(100);
        for (int s = 0; s < 30; s++) {
            inject(v2(), PEER);
            clock.advanceMillis(1_000);
        }
        assertEquals(List.of("vi_1: dropping adverts for VRID 51 from 198.18.0.2 (version: VRRPv2 advert, this router"
                + " speaks VRRPv3); both may be master. Logged again after a minute without such adverts"), warnings());
        assertEquals(30, router.counters().droppedCount(DropReason.VERSION));
        assertEquals(RouterState.MASTER, router.state(), "both are master: the split brain to report");
        PeerMismatch m = only();
        assertEquals(PEER, m.peer());
        assertEquals(MismatchReason.VERSION, m.reason());
        assertEquals(30, m.count());
        assertTrue(m.active());

        clock.advance(Duration.ofSeconds(58)); // 59 s after the last one
        inject(v2(), PEER);
        assertEquals(1, warnings().size(), "59 s of quiet is not a minute");
        clock.advance(Duration.ofSeconds(60));
        inject(v2(), PEER);
        assertEquals(2, warnings().size(), "after a quiet minute it is logged again");
        assertEquals(32, only().count());
    }

    @Test
    void eachPeerAndEachReasonIsLoggedOnItsOwn() {
        master(100);
        for (int i = 0; i < 5; i++) {
            inject(v2(), PEER);
            inject(v2(), PEER2);
            inject(VrrpAdvertisement.v3(51, 50, 100, OTHER_VIPS), PEER);
            clock.advanceMillis(1_000);
        }
        List<String> w = warnings();
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(0).contains("dropping adverts for VRID 51 from 198.18.0.2 (version: "), w.get(0));
        assertTrue(w.get(1).contains("dropping adverts for VRID 51 from 198.18.0.3 (version: "), w.get(1));
        assertEquals("vi_1: accepting adverts for VRID 51 from 198.18.0.2 (address_list: addresses [198.18.0.200], this"
                + " router's [198.18.0.100]); a peer that checks addresses (keepalived does) drops ours: both may be"
                + " master. Logged again after a minute without such adverts", w.get(2));
        assertEquals(5, router.counters().advertsReceived(), "other addresses are accepted");
        assertEquals(3, router.mismatches().size());
    }

    @Test
    void activeFor3MasterDownIntervalsAtTheSlowerOfTheTwoIntervals() {
        master(10);
        inject(v2(), PEER);
        // Ours is 100 ms, the peer's 1 s: 3 * (3 * 1 s + (256 - 100) * 1 s / 256) = 10.828125 s.
        clock.advance(Duration.ofNanos(10_828_124_999L));
        assertTrue(only().active());
        clock.advance(Duration.ofNanos(1));
        assertFalse(only().active(), "expired");
        assertEquals(1, only().count(), "still listed after it expired");

        inject(VrrpAdvertisement.v3(51, 50, 10, OTHER_VIPS), PEER2);
        // Both 100 ms: 3 * (300 ms + 156 * 100 ms / 256) = 1082.8125 ms.
        clock.advance(Duration.ofNanos(1_082_812_499L));
        assertTrue(router.mismatches().get(0).active());
        assertEquals(PEER2, router.mismatches().get(0).peer(), "active ones first");
        clock.advance(Duration.ofNanos(1));
        assertFalse(router.mismatches().stream().anyMatch(PeerMismatch::active));
    }

    @Test
    void theDecodersVersionDropReachesTheRouter() {
        master(100);
        byte[] v4 = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 150, 100, VIPS), PEER, VrrpMulticast.IPV4);
        v4[0] = 0x41;
        inject(v4, PEER, 255);
        assertEquals(1, router.counters().droppedCount(DropReason.VERSION));
        PeerMismatch m = only();
        assertEquals(MismatchReason.VERSION, m.reason());
        assertEquals("version 4", m.detail());
        assertTrue(warnings().get(0).contains("(version: version 4)"), warnings().toString());
    }

    @Test
    void sendersTheRouterWouldNotListenToAreCountedButNotReported() {
        master(100);
        byte[] v2 = VrrpEncoder.encode(v2(), PEER, VrrpMulticast.IPV4);
        inject(v2, PEER, 64);
        byte[] v4 = v2.clone();
        v4[0] = 0x41;
        inject(v4, PEER, 64);
        inject(VrrpEncoder.encode(v2(), SELF, VrrpMulticast.IPV4), SELF, 255);
        assertEquals(1, router.counters().droppedCount(DropReason.TTL));
        assertEquals(1, router.counters().droppedCount(DropReason.VERSION), "the decoder's drop is still counted");
        assertEquals(1, router.counters().droppedCount(DropReason.OWN_PACKET));
        assertEquals(List.of(), router.mismatches(), "a routed or own packet says nothing about a peer");
        assertEquals(List.of(), warnings());
    }

    @Test
    void otherAddressesAreObeyedSoAReloadRollingThemOutSplitsNothingButTheyAreReported() {
        master(100);
        inject(VrrpAdvertisement.v3(51, 150, 100, OTHER_VIPS), PEER);
        assertEquals(RouterState.BACKUP, router.state());
        assertEquals(MismatchReason.ADDRESS_LIST, only().reason());
        assertTrue(only().active());
        assertEquals(0, router.counters().drops().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void forgedSendersCannotGrowTheTableOrFloodTheLog() {
        master(100);
        for (int host = 10; host < 60; host++) {
            inject(v2(), SimulatedSegment.ip("198.18.0." + host));
        }
        assertEquals(PeerMismatches.MAX_PAIRS, router.mismatches().size());
        assertEquals(PeerMismatches.MAX_PAIRS, warnings().size());
        assertEquals(50, router.counters().droppedCount(DropReason.VERSION), "every one is still counted");
        clock.advance(Duration.ofSeconds(61));
        inject(v2(), PEER);
        assertTrue(router.mismatches().stream().anyMatch(m -> m.peer().equals(PEER)),
                "a pair quiet for a minute makes room");
        assertEquals(PeerMismatches.MAX_PAIRS, router.mismatches().size());
    }
}
