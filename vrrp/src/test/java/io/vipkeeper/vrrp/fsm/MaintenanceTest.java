package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.vrrp.protocol.VrrpPriority;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's maintenance of a router on an in-memory segment with a virtual clock. */
class MaintenanceTest {
    private final SimulatedSegment seg = new SimulatedSegment();
    /** Priorities of the adverts on the segment, in order. */
    private final List<Integer> adverts = new ArrayList<>();

    private SimulatedSegment.Node[] pair(boolean preempt) {
        var a = seg.add("a", 1, 200, c -> c.withPreempt(preempt, Duration.ZERO));
        var b = seg.add("b", 2, 100);
        a.router.start();
        b.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
        // A listener on the segment: byte 2 of a VRRP message is the priority (RFC 9568 §5.1).
        seg.network.attach(SimulatedSegment.ip("198.18.0.99")).onReceive(p -> adverts.add(p.payload()[2] & 0xff));
        return new SimulatedSegment.Node[] {a, b};
    }

    @Test
    void aMasterInMaintenanceSendsPriorityZeroKeepsTheVipUntilThePeerAdvertisesAndStaysBackup() {
        var n = pair(true);
        var a = n[0];
        var b = n[1];
        var done = a.router.setMaintenance(true, false);
        seg.clock.advanceMillis(1);
        assertEquals(VrrpPriority.STOP, adverts.get(0), "the first advert after the order is priority 0");
        assertTrue(a.holdsVip && !done.isDone(), "the VIP is kept until the new master advertises");
        seg.clock.advanceMillis(1_000);
        assertTrue(done.isDone());
        Resignation r = done.join();
        assertEquals(Resignation.Outcome.HANDED_OVER, r.outcome());
        assertEquals(b.address, r.newMaster());
        assertEquals(List.of("b"), seg.holders());
        assertEquals(RouterState.BACKUP, a.state());
        assertEquals(TransitionReason.MAINTENANCE, a.router.lastTransition().orElseThrow().reason());
        // a has priority 200 > 100 and preempts, but stays BACKUP for many Master_Down_Intervals.
        seg.clock.advanceMillis(60_000);
        assertEquals(List.of("b"), seg.masters());
        assertEquals(List.of("b"), seg.holders());
        assertTrue(a.router.inMaintenance());
        assertEquals(b.address, a.router.masterAddress().orElseThrow(), "it still hears the master");
    }

    @Test
    void aMaintainedRouterStaysBackupWithNoAdvertsAtAll() {
        var n = pair(true);
        var a = n[0];
        var b = n[1];
        a.router.setMaintenance(true, false);
        seg.clock.advanceMillis(1_000);
        b.crash();
        seg.clock.advanceMillis(100_000); // about 30 Master_Down_Intervals
        assertEquals(RouterState.BACKUP, a.state());
        assertEquals(List.of(), seg.holders());
        // Off: its Master_Down_Timer fired meanwhile, so it takes over at once.
        a.router.setMaintenance(false, false);
        assertEquals(RouterState.MASTER, a.state());
        assertEquals(List.of("a"), seg.holders());
    }

    @Test
    void offLetsAPreemptingRouterTakeTheVipBack() {
        var n = pair(true);
        var a = n[0];
        a.router.setMaintenance(true, false);
        seg.clock.advanceMillis(30_000);
        assertEquals(List.of("b"), seg.masters());
        a.router.setMaintenance(false, false);
        assertEquals(RouterState.BACKUP, a.state(), "it waits for the election as usual");
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
        assertEquals(List.of("a"), seg.holders());
        assertEquals(TransitionReason.PREEMPT, a.router.lastTransition().orElseThrow().reason());
    }

    @Test
    void offLeavesANonPreemptingRouterBackup() {
        var n = pair(false);
        var a = n[0];
        a.router.setMaintenance(true, false);
        seg.clock.advanceMillis(30_000);
        a.router.setMaintenance(false, false);
        seg.clock.advanceMillis(30_000);
        assertEquals(List.of("b"), seg.masters());
        assertFalse(a.router.inMaintenance());
    }

    @Test
    void aMasterAloneIsRefusedAndGoesOnAsMasterUnlessForced() {
        var a = seg.add("a", 1, 200);
        a.router.start();
        seg.clock.advanceMillis(5_000);
        var done = a.router.setMaintenance(true, false);
        seg.clock.advanceMillis(4_100);
        Resignation r = done.join();
        assertEquals(Resignation.Outcome.NO_PEER, r.outcome());
        assertFalse(a.router.inMaintenance());
        assertEquals(RouterState.MASTER, a.state());
        assertTrue(a.holdsVip);
        long sent = a.router.counters().advertsSent();
        seg.clock.advanceMillis(3_000);
        assertTrue(a.router.counters().advertsSent() >= sent + 3, "it advertises again");

        var forced = a.router.setMaintenance(true, true);
        seg.clock.advanceMillis(4_100);
        assertEquals(Resignation.Outcome.RELEASED_TO_NOBODY, forced.join().outcome());
        assertEquals(RouterState.BACKUP, a.state());
        assertEquals(List.of(), seg.holders());
        seg.clock.advanceMillis(30_000);
        assertEquals(List.of(), seg.masters());
    }

    @Test
    void aBackupThatKnowsNoMasterIsRefusedUnlessForced() {
        var b = seg.add("b", 2, 100);
        b.router.start();
        assertEquals(Resignation.Outcome.NO_PEER, b.router.setMaintenance(true, false).join().outcome());
        assertFalse(b.router.inMaintenance());
        assertEquals(Resignation.Outcome.NOT_MASTER, b.router.setMaintenance(true, true).join().outcome());
        seg.clock.advanceMillis(30_000);
        assertEquals(RouterState.BACKUP, b.state());
    }

    @Test
    void aSyncGroupInMaintenanceHandsEveryMemberOverGracefully() {
        Host a = new Host(1, 200);
        Host b = new Host(2, 100);
        a.start();
        b.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of(RouterState.MASTER, RouterState.MASTER), a.states());
        var d51 = a.r51.setMaintenance(true, false);
        var d52 = a.r52.setMaintenance(true, false);
        assertEquals(2, a.held, "both keep their VIP until their successor advertises");
        seg.clock.advanceMillis(30_000);
        assertEquals(List.of(RouterState.BACKUP, RouterState.BACKUP), a.states());
        assertEquals(List.of(RouterState.MASTER, RouterState.MASTER), b.states());
        assertEquals(Resignation.Outcome.HANDED_OVER, d51.join().outcome());
        assertEquals(Resignation.Outcome.HANDED_OVER, d52.join().outcome(), "not dropped by following r51");
        assertEquals(0, a.held);
    }

    /** A host with routers for VRIDs 51 and 52 in one sync group; counts the VIPs it holds. */
    private final class Host {
        final VirtualRouter r51;
        final VirtualRouter r52;
        int held;

        Host(int n, int priority) {
            InetAddress address = SimulatedSegment.ip("198.18.0." + n);
            VrrpTransport t = seg.network.attach(address);
            VrrpDispatcher d = new VrrpDispatcher(t);
            r51 = router(t, "h" + n + "-51", 51, priority, address, "198.18.0.100");
            r52 = router(t, "h" + n + "-52", 52, priority, address, "198.18.0.101");
            d.add(r51);
            d.add(r52);
            new SyncGroup("g" + n, List.of(r51, r52));
        }

        private VirtualRouter router(VrrpTransport t, String name, int vrid, int priority, InetAddress address,
                String vip) {
            boolean[] holds = new boolean[1];
            AddressOwner owner = new AddressOwner() {
                @Override
                public void claim() {
                    held += holds[0] ? 0 : 1;
                    holds[0] = true;
                }

                @Override
                public void release() {
                    held -= holds[0] ? 1 : 0;
                    holds[0] = false;
                }
            };
            return new VirtualRouter(RouterConfig.v3(name, vrid, priority, 100, address,
                    List.of(SimulatedSegment.ip(vip))), seg.clock, new TransportActions(t, List.of(), owner));
        }

        void start() {
            r51.start();
            r52.start();
        }

        List<RouterState> states() {
            return List.of(r51.state(), r52.state());
        }
    }
}
