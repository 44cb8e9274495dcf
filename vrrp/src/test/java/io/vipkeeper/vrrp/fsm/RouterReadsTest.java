package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What the status API reads from other threads than the router's loop: faults come as immutable
 * snapshots sorted by source, never a view of the map the loop mutates.
 */
class RouterReadsTest {
    private final SimulatedSegment segment = new SimulatedSegment();

    private VirtualRouter router() {
        return segment.add("web", 1, 100).router;
    }

    @Test
    void faultsAreASortedImmutableSnapshot() {
        VirtualRouter r = router();
        r.setFault("track-interface eth1", "eth1 is down");
        r.setFault("interface", "eth0 is down");
        Map<String, String> before = r.faults();
        assertEquals(List.of("interface", "track-interface eth1"), List.copyOf(before.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> before.put("x", "y"));

        r.setFault("interface", null);
        assertEquals(Map.of("interface", "eth0 is down", "track-interface eth1", "eth1 is down"), before,
                "a snapshot taken earlier does not follow later changes");
        assertEquals(Map.of("track-interface eth1", "eth1 is down"), r.faults());
        r.setFault("track-interface eth1", null);
        assertEquals(Map.of(), r.faults());
    }

    @Test
    void listenersOfTheFaultTransitionAlreadySeeTheFault() {
        VirtualRouter r = router();
        r.start();
        List<Map<String, String>> seen = new java.util.ArrayList<>();
        r.addListener(t -> seen.add(r.faults()));
        r.setFault("interface", "eth0 is down");
        assertEquals(RouterState.FAULT, r.state());
        assertEquals(List.of(Map.of("interface", "eth0 is down")), seen);
        r.setFault("interface", null);
        assertEquals(List.of(Map.of("interface", "eth0 is down"), Map.of()), seen);
    }

    /**
     * The loop raises and clears a fault while another thread reads: every read is one of the two
     * states the loop published (copying the loop's own TreeMap here throws or tears).
     */
    @Test
    void faultsReadFromAnotherThreadWhileTheLoopChangesThem() throws Exception {
        VirtualRouter r = router();
        r.setFault("a", "1");
        r.setFault("c", "3");
        Set<Map<String, String>> published = Set.of(Map.of("a", "1", "c", "3"), Map.of("a", "1", "b", "2", "c", "3"));
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            long reads = 0;
            while (!done.get()) {
                Map<String, String> seen = r.faults();
                if (!published.contains(seen)) {
                    throw new AssertionError("read a state never published: " + seen);
                }
                reads++;
            }
            return reads;
        });
        try {
            for (int i = 0; i < 300_000 && !reader.isDone(); i++) {
                r.setFault("b", "2");
                r.setFault("b", null);
            }
        } finally {
            done.set(true);
        }
        assertTrue(reader.get(10, TimeUnit.SECONDS) > 0);
    }
}
