package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Split brain, healing, lost adverts, faults and priority changes on an in-memory segment. */
class PartitionAndLossTest {
    private final SimulatedSegment seg = new SimulatedSegment();

    private SimulatedSegment.Node[] pairElected() {
        var a = seg.add("a", 1, 200);
        var b = seg.add("b", 2, 100);
        a.router.start();
        b.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
        return new SimulatedSegment.Node[] {a, b};
    }

    @Test
    void partitionGivesTwoMastersAndHealingLeavesOneWithinOneAdvert() {
        var nodes = pairElected();
        seg.network.partition(Set.of(nodes[0].address));
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a", "b"), seg.masters());
        assertEquals(List.of("a", "b"), seg.holders());
        seg.network.heal();
        seg.clock.advanceMillis(1_001);
        assertEquals(List.of("a"), seg.masters());
        assertEquals(List.of("a"), seg.holders());
        assertEquals(TransitionReason.HIGHER_PRIORITY, nodes[1].router.lastTransition().orElseThrow().reason());
    }

    /**
     * Found by the fault lab: during the split the backup took the VIP and announced it, so the
     * client sent to it; after the heal it stepped down and the master, which never stopped being
     * master, announced nothing: the client kept sending to a host without the VIP until its ARP
     * entry expired. Now the master announces the VIP again when it hears the other master (at
     * once) and when that one has fallen silent (a Master_Down_Interval later): twice per split.
     */
    @Test
    void afterASplitTheMasterThatStaysAnnouncesItsAddressesAgain() {
        var nodes = pairElected();
        for (int split = 1; split <= 2; split++) {
            seg.network.partition(Set.of(nodes[0].address));
            seg.clock.advanceMillis(5_000);
            assertEquals(List.of("a", "b"), seg.masters());
            int claims = nodes[0].claims;
            seg.network.heal();
            seg.clock.advanceMillis(1_001);
            assertEquals(List.of("a"), seg.holders());
            assertEquals(claims + 1, nodes[0].claims, "split " + split + ": a announced its VIP again at once");
            seg.clock.advanceMillis(10_000);
            assertEquals(claims + 2, nodes[0].claims, "split " + split + ": and once more when b fell silent, then no more");
        }
    }

    @Test
    void twoLostAdvertsCauseNoTransitionButThreeAndSkewDo() {
        var nodes = pairElected();
        long before = nodes[1].router.counters().transitions();
        seg.network.dropNext(2);
        seg.clock.advanceMillis(10_000);
        assertEquals(before, nodes[1].router.counters().transitions());
        assertEquals(List.of("a"), seg.masters());
        long masterBefore = nodes[1].router.counters().becameMaster();
        seg.network.dropNext(3);
        seg.clock.advanceMillis(10_000);
        assertEquals(masterBefore + 1, nodes[1].router.counters().becameMaster(),
                "three lost adverts are longer than b's Master_Down_Interval");
        assertEquals(List.of("a"), seg.masters(), "a's next advert sends b back");
        assertEquals(List.of("a"), seg.holders());
    }

    @Test
    void faultSendsPriorityZeroAndClearingReturnsToBackupThenPreempts() {
        var nodes = pairElected();
        nodes[0].router.setFault("interface", "eth0 down");
        assertEquals(RouterState.FAULT, nodes[0].state());
        seg.clock.advanceMillis(700);
        assertEquals(RouterState.MASTER, nodes[1].state());
        assertEquals(TransitionReason.MASTER_STOPPED, nodes[1].router.lastTransition().orElseThrow().reason());
        seg.clock.advanceMillis(10_000);
        assertEquals(RouterState.FAULT, nodes[0].state(), "a fault ends only when cleared");
        nodes[0].router.setFault("interface", null);
        assertEquals(RouterState.BACKUP, nodes[0].state());
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
        assertEquals(List.of("a"), seg.holders());
    }

    @Test
    void loweredEffectivePriorityLetsTheBackupPreempt() {
        var nodes = pairElected();
        nodes[0].router.setEffectivePriority(50);
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("b"), seg.masters());
        nodes[0].router.setEffectivePriority(200);
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
    }

    @Test
    void reconfiguredPriorityTakesEffectWithoutATransition() {
        var nodes = pairElected();
        long before = nodes[0].router.counters().transitions();
        RouterConfig lower = nodes[0].router.config().withPriority(150);
        assertTrue(nodes[0].router.reconfigure(lower));
        seg.clock.advanceMillis(10_000);
        assertEquals(before, nodes[0].router.counters().transitions());
        assertEquals(150, nodes[0].router.effectivePriority());
        assertEquals(List.of("a"), seg.masters());
    }

    @Test
    void backupLearnsTheMastersV3Interval() {
        var a = seg.add("a", 1, 200, c -> new RouterConfig(c.name(), c.version(), c.virtualRouterId(),
                c.priority(), 10, true, c.preemptDelay(), c.virtualAddresses(), c.primaryAddress(), List.of(), 255,
                c.authType(), c.authData()));
        var b = seg.add("b", 2, 100);
        a.router.start();
        b.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(10, b.router.masterAdverIntervalCentis());
        a.crash();
        long crashed = seg.clock.nanoTime();
        seg.clock.advanceMillis(1_000);
        assertEquals(RouterState.MASTER, b.state());
        // 3 x 100 ms + 156/256 x 100 ms after the last advert, not 3.6 s.
        assertTrue(b.router.lastTransition().orElseThrow().atNanos() - crashed < 400_000_000L);
    }
}
