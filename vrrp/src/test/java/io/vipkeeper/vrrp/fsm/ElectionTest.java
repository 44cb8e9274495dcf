package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Election and failover of v3 routers on an in-memory segment with a virtual clock. */
class ElectionTest {
    private final SimulatedSegment seg = new SimulatedSegment();

    @Test
    void higherPriorityBecomesTheOnlyMasterAfterMasterDownInterval() {
        var a = seg.add("a", 1, 200);
        var b = seg.add("b", 2, 100);
        a.router.start();
        b.router.start();
        assertEquals(RouterState.BACKUP, a.state());
        assertEquals(RouterState.BACKUP, b.state());
        // a's Master_Down_Interval: 3 s + (256-200)/256 s = 3.21875 s
        seg.clock.advanceMillis(3218);
        assertEquals(List.of(), seg.masters());
        seg.clock.advanceMillis(2);
        assertEquals(List.of("a"), seg.masters());
        assertEquals(List.of("a"), seg.holders());
        seg.clock.advanceMillis(60_000);
        assertEquals(List.of("a"), seg.masters());
        assertEquals(RouterState.BACKUP, b.state());
        assertEquals(a.address, b.router.masterAddress().orElseThrow());
        assertEquals(2, a.router.counters().transitions(), "INIT->BACKUP->MASTER");
    }

    @Test
    void equalPriorityTieBreaksOnTheHigherAddress() {
        var low = seg.add("low", 1, 100);
        var high = seg.add("high", 2, 100);
        low.router.start();
        high.router.start();
        seg.clock.advanceMillis(10_000);
        assertEquals(List.of("high"), seg.masters());
        assertEquals(List.of("high"), seg.holders());
    }

    @Test
    void masterCrashIsNoticedAfterMasterDownIntervalOfTheBackup() {
        var a = seg.add("a", 1, 200);
        var b = seg.add("b", 2, 100);
        a.router.start();
        b.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
        a.crash();
        seg.clock.advanceMillis(10_000);
        assertEquals(RouterState.MASTER, b.state());
        Transition t = b.router.lastTransition().orElseThrow();
        assertEquals(TransitionReason.MASTER_DOWN, t.reason());
        // a became master at 3218.75 ms (its Master_Down_Interval) and advertised then and at
        // 4218.75 ms; b heard that 0.1 ms later and waits its own Master_Down_Interval,
        // 3 s + 156/256 s = 3609.375 ms.
        assertEquals(7_828_225_000L, t.atNanos());
        assertTrue(b.holdsVip);
        // The address owner heard of the takeover first (it warms its path).
        assertEquals(List.of("release", "prepare", "claim"), b.ownerCalls);
    }

    @Test
    void stoppingMasterSendsPriorityZeroAndTheBackupTakesOverAfterSkewTime() {
        var a = seg.add("a", 1, 200);
        var b = seg.add("b", 2, 100);
        a.router.start();
        b.router.start();
        seg.clock.advanceMillis(5_000);
        long stoppedAt = seg.clock.nanoTime();
        var released = a.router.stop();
        assertEquals(RouterState.INITIALIZE, a.state());
        assertTrue(a.holdsVip, "a stopping master keeps answering until a new master advertises");
        seg.clock.advanceMillis(1_000);
        assertEquals(RouterState.MASTER, b.state());
        assertTrue(released.isDone());
        assertTrue(!a.holdsVip, "released once b advertised");
        Transition t = b.router.lastTransition().orElseThrow();
        assertEquals(TransitionReason.MASTER_STOPPED, t.reason());
        // Skew_Time for priority 100 at 100 cs: 156/256 s = 609.375 ms (+0.1 ms latency).
        assertEquals(609_475_000L, t.atNanos() - stoppedAt);
        assertEquals(List.of("release", "prepare", "claim"), b.ownerCalls);
    }

    @Test
    void higherPriorityPreemptsALowerMasterWhenItComesBack() {
        var b = seg.add("b", 2, 100);
        b.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("b"), seg.masters());
        var a = seg.add("a", 1, 200);
        a.router.start();
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
        assertEquals(List.of("a"), seg.holders());
        assertEquals(TransitionReason.PREEMPT, a.router.lastTransition().orElseThrow().reason());
        assertEquals(TransitionReason.HIGHER_PRIORITY, b.router.lastTransition().orElseThrow().reason());
    }

    @Test
    void nopreemptLeavesTheLowerMasterInPlace() {
        var b = seg.add("b", 2, 100);
        b.router.start();
        seg.clock.advanceMillis(5_000);
        var a = seg.add("a", 1, 200, c -> c.withPreempt(false, java.time.Duration.ZERO));
        a.router.start();
        seg.clock.advanceMillis(60_000);
        assertEquals(List.of("b"), seg.masters());
        assertEquals(RouterState.BACKUP, a.state());
    }

    @Test
    void preemptDelayWaitsBeforeTakingOver() {
        var b = seg.add("b", 2, 100);
        b.router.start();
        seg.clock.advanceMillis(5_000);
        var a = seg.add("a", 1, 200, c -> c.withPreempt(true, java.time.Duration.ofSeconds(20)));
        a.router.start();
        seg.clock.advanceMillis(19_000);
        assertEquals(List.of("b"), seg.masters());
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
    }

    /**
     * keepalived's preempt_delay counts from the first lower-priority advert heard in Backup, not
     * only from start: a router back from a fault long after its start waits the delay again
     * before it takes over from the backup that stood in.
     */
    @Test
    void preemptDelayAlsoWaitsAfterAFaultLongAfterStart() {
        var a = seg.add("a", 1, 200, c -> c.withPreempt(true, java.time.Duration.ofSeconds(20)));
        var b = seg.add("b", 2, 100);
        a.router.start();
        b.router.start();
        seg.clock.advanceMillis(60_000);
        assertEquals(List.of("a"), seg.masters());
        a.router.setFault("interface", "eth0 is down");
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("b"), seg.masters());
        a.router.setFault("interface", null);
        assertEquals(RouterState.BACKUP, a.state());
        seg.clock.advanceMillis(1_000);
        long heardB = a.router.preemptDelayEndsNanos().orElseThrow() - 20_000_000_000L;
        assertTrue(heardB > seg.clock.nanoTime() - 1_000_000_000L, "the delay runs from b's first advert after the fault");
        seg.clock.advanceMillis(18_000);
        assertEquals(List.of("b"), seg.masters(), "within preempt-delay of b's first advert");
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a"), seg.masters());
        assertEquals(TransitionReason.PREEMPT, a.router.lastTransition().orElseThrow().reason());
        assertTrue(a.router.preemptDelayEndsNanos().isEmpty(), "none runs as master");
    }

    @Test
    void addressOwnerIsMasterAtOnce() {
        var b = seg.add("b", 2, 100);
        b.router.start();
        seg.clock.advanceMillis(5_000);
        var owner = seg.add("owner", 1, 255);
        owner.router.start();
        assertEquals(RouterState.MASTER, owner.state());
        assertEquals(TransitionReason.ADDRESS_OWNER, owner.router.lastTransition().orElseThrow().reason());
        seg.clock.advanceMillis(10);
        assertEquals(List.of("owner"), seg.masters());
    }

    @Test
    void aStoppingMasterAloneReleasesAfterTheLongestMasterDownInterval() {
        var a = seg.add("a", 1, 200);
        a.router.start();
        seg.clock.advanceMillis(5_000);
        var released = a.router.stop();
        seg.clock.advanceMillis(4_000);
        assertTrue(a.holdsVip && !released.isDone());
        seg.clock.advanceMillis(100);
        assertTrue(!a.holdsVip && released.isDone());
    }
}
