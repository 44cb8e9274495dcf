package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad adverts injected at a master: each is counted under its reason and the master stays. */
class ReceiveChecksTest {
    private static final InetAddress ATTACKER = SimulatedSegment.ip("198.18.0.9");
    private final SimulatedSegment seg = new SimulatedSegment();

    private SimulatedSegment.Node master(int version) {
        byte[] pass = {'p', 'w', 0, 0, 0, 0, 0, 0};
        var m = seg.add("m", 1, 100, c -> version == 3 ? c : new RouterConfig(c.name(), VrrpVersion.V2,
                c.virtualRouterId(), c.priority(), 100, true, Duration.ZERO, c.virtualAddresses(),
                c.primaryAddress(), List.of(), 255, V2AuthType.SIMPLE_TEXT, pass));
        m.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(RouterState.MASTER, m.state());
        return m;
    }

    private void inject(SimulatedSegment.Node node, VrrpAdvertisement ad, InetAddress source, int ttl) {
        InetAddress group = VrrpMulticast.IPV4;
        node.dispatcher.receive(new InboundPacket(source, group, ttl, VrrpEncoder.encode(ad, source, group)));
    }

    /**
     * A master hearing another master of lower priority (a split) advertises at once and announces
     * its VIP again, and once more when that master fell silent for a Master_Down_Interval; a
     * stream of such adverts costs two announcements, not one per advert.
     */
    @Test
    void aLowerPriorityMasterMakesTheMasterAnnounceAtTheSplitsStartAndEnd() {
        var m = master(3);
        int claims = m.claims;
        long sent = m.router.counters().advertsSent();
        inject(m, VrrpAdvertisement.v3(51, 50, 100, List.of(SimulatedSegment.VIP)), ATTACKER, 255);
        assertEquals(claims + 1, m.claims, "announced at once");
        assertEquals(sent + 1, m.router.counters().advertsSent(), "advertised at once, so the other steps down");
        for (int i = 0; i < 20; i++) {
            seg.clock.advanceMillis(500);
            inject(m, VrrpAdvertisement.v3(51, 50, 100, List.of(SimulatedSegment.VIP)), ATTACKER, 255);
        }
        assertEquals(claims + 1, m.claims, "not again while the split lasts");
        seg.clock.advanceMillis(3_000);
        assertEquals(claims + 1, m.claims, "not before it was silent for a Master_Down_Interval (3.61 s)");
        seg.clock.advanceMillis(700);
        assertEquals(claims + 2, m.claims, "announced again when it fell silent");
        seg.clock.advanceMillis(60_000);
        assertEquals(claims + 2, m.claims);
        assertEquals(RouterState.MASTER, m.state());
    }

    /**
     * A master that steps down for a higher-priority one sends one advert of its own first: when a
     * split ends with the higher master's advert arriving first, that is how it learns of the split.
     */
    @Test
    void aMasterSteppingDownForAHigherOneAdvertisesOnceMore() {
        var m = master(3);
        long sent = m.router.counters().advertsSent();
        inject(m, VrrpAdvertisement.v3(51, 200, 100, List.of(SimulatedSegment.VIP)), ATTACKER, 255);
        assertEquals(RouterState.BACKUP, m.state());
        assertEquals(sent + 1, m.router.counters().advertsSent());
    }

    @Test
    void higherPriorityWithBadTtlIsDroppedAndCounted() {
        var m = master(3);
        inject(m, VrrpAdvertisement.v3(51, 250, 100, List.of(SimulatedSegment.VIP)), ATTACKER, 64);
        assertEquals(1, m.router.counters().droppedCount(DropReason.TTL));
        assertEquals(RouterState.MASTER, m.state());
    }

    @Test
    void truncatedAndCorruptPacketsAreCounted() {
        var m = master(3);
        m.dispatcher.receive(new InboundPacket(ATTACKER, VrrpMulticast.IPV4, 255, new byte[] {0x31, 51, (byte) 250}));
        byte[] bad = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 250, 100, List.of(SimulatedSegment.VIP)),
                ATTACKER, VrrpMulticast.IPV4);
        bad[7] ^= 0x55;
        m.dispatcher.receive(new InboundPacket(ATTACKER, VrrpMulticast.IPV4, 255, bad));
        assertEquals(1, m.router.counters().droppedCount(DropReason.LENGTH));
        assertEquals(1, m.router.counters().droppedCount(DropReason.CHECKSUM));
        assertEquals(RouterState.MASTER, m.state());
    }

    @Test
    void unknownVridIsCountedOnTheDispatcherOnly() {
        var m = master(3);
        inject(m, VrrpAdvertisement.v3(52, 250, 100, List.of(SimulatedSegment.VIP)), ATTACKER, 255);
        assertEquals(1, m.dispatcher.unattributed().droppedCount(DropReason.UNKNOWN_VRID));
        assertEquals(RouterState.MASTER, m.state());
    }

    @Test
    void ownPacketsAreIgnored() {
        var m = master(3);
        inject(m, VrrpAdvertisement.v3(51, 250, 100, List.of(SimulatedSegment.VIP)), m.address, 255);
        assertEquals(1, m.router.counters().droppedCount(DropReason.OWN_PACKET));
        assertEquals(RouterState.MASTER, m.state());
    }

    @Test
    void wrongVersionForTheRouter() {
        var m = master(3);
        inject(m, VrrpAdvertisement.v2(51, 250, 1, List.of(SimulatedSegment.VIP), V2AuthType.NONE, new byte[8]),
                ATTACKER, 255);
        assertEquals(1, m.router.counters().droppedCount(DropReason.VERSION));
        assertEquals(RouterState.MASTER, m.state());
    }

    @Test
    void v2WrongPasswordAuthTypeAndIntervalAreDropped() {
        var m = master(2);
        List<InetAddress> vips = List.of(SimulatedSegment.VIP);
        inject(m, VrrpAdvertisement.v2(51, 250, 1, vips, V2AuthType.SIMPLE_TEXT,
                new byte[] {'x', 'x', 0, 0, 0, 0, 0, 0}), ATTACKER, 255);
        inject(m, VrrpAdvertisement.v2(51, 250, 1, vips, V2AuthType.NONE, new byte[8]), ATTACKER, 255);
        inject(m, VrrpAdvertisement.v2(51, 250, 2, vips, V2AuthType.SIMPLE_TEXT,
                new byte[] {'p', 'w', 0, 0, 0, 0, 0, 0}), ATTACKER, 255);
        assertEquals(1, m.router.counters().droppedCount(DropReason.AUTHENTICATION));
        assertEquals(1, m.router.counters().droppedCount(DropReason.AUTH_TYPE));
        assertEquals(1, m.router.counters().droppedCount(DropReason.INTERVAL));
        assertEquals(RouterState.MASTER, m.state());
        inject(m, VrrpAdvertisement.v2(51, 250, 1, vips, V2AuthType.SIMPLE_TEXT,
                new byte[] {'p', 'w', 0, 0, 0, 0, 0, 0}), ATTACKER, 255);
        assertEquals(RouterState.BACKUP, m.state(), "the right password is obeyed");
    }

    private static final InetAddress PEER = SimulatedSegment.ip("198.18.0.2");

    /** A master at 198.18.0.1 whose only unicast peer is 198.18.0.2, accepting TTLs down to {@code minTtl}. */
    private SimulatedSegment.Node unicastMaster(int minTtl) {
        var m = seg.add("m", 1, 100, c -> c.withUnicastPeers(List.of(PEER), minTtl));
        m.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(RouterState.MASTER, m.state());
        return m;
    }

    private void injectUnicast(SimulatedSegment.Node node, int priority, InetAddress source, int ttl) {
        byte[] message = VrrpEncoder.encode(VrrpAdvertisement.v3(51, priority, 100, List.of(SimulatedSegment.VIP)),
                source, node.address);
        node.dispatcher.receive(new InboundPacket(source, node.address, ttl, message));
    }

    @Test
    void unicastRouterDropsAStrangerAtAnyTtlAndCountsIt() {
        var m = unicastMaster(255);
        injectUnicast(m, 254, ATTACKER, 255);
        assertEquals(1, m.router.counters().droppedCount(DropReason.NOT_PEER));
        assertEquals(RouterState.MASTER, m.state(), "a stranger at priority 254 does not take over");
        injectUnicast(m, 254, ATTACKER, 64);
        assertEquals(1, m.router.counters().droppedCount(DropReason.TTL), "from beyond the TTL: the TTL is why");
        assertEquals(RouterState.MASTER, m.state());
        assertEquals(0, m.router.counters().advertsReceived());
    }

    @Test
    void unicastPeerNeedsTtl255ByDefault() {
        var m = unicastMaster(255);
        injectUnicast(m, 254, PEER, 254);
        assertEquals(1, m.router.counters().droppedCount(DropReason.TTL));
        assertEquals(RouterState.MASTER, m.state(), "a routed advert is refused unless configured");
        injectUnicast(m, 254, PEER, 255);
        assertEquals(RouterState.BACKUP, m.state(), "the peer on the link is obeyed");
    }

    @Test
    void unicastRouterMayAcceptRoutedPeersDownToItsMinimumTtl() {
        var m = unicastMaster(253);
        injectUnicast(m, 254, PEER, 252);
        assertEquals(1, m.router.counters().droppedCount(DropReason.TTL));
        assertEquals(RouterState.MASTER, m.state());
        injectUnicast(m, 254, ATTACKER, 253);
        assertEquals(1, m.router.counters().droppedCount(DropReason.NOT_PEER));
        assertEquals(RouterState.MASTER, m.state());
        injectUnicast(m, 254, PEER, 253);
        assertEquals(RouterState.BACKUP, m.state(), "a peer two routers away is obeyed");
    }

    @Test
    void multicastRouterCannotLowerItsMinimumTtl() {
        var c = RouterConfig.v3("m", 51, 100, 100, SimulatedSegment.ip("198.18.0.1"), List.of(SimulatedSegment.VIP));
        assertThrows(IllegalArgumentException.class, () -> c.withUnicastPeers(List.of(), 254));
    }
}
