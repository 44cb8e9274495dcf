package io.vipkeeper.appliance.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventBusTest {
    private static Event numbered(int n) {
        return Event.of(EventType.HEALTH, "n", n);
    }

    private static List<Integer> drain(EventBus.Subscription s) {
        List<Integer> out = new ArrayList<>();
        for (Event e = s.poll(); e != null; e = s.poll()) {
            out.add(e.type() == EventType.OVERFLOW ? -1 : (Integer) e.fields().get("n"));
        }
        return out;
    }

    @Test
    void everySubscriberGetsEveryEventInPublishingOrder() {
        EventBus bus = new EventBus(100);
        AtomicInteger wakeups = new AtomicInteger();
        EventBus.Subscription a = bus.subscribe(wakeups::incrementAndGet);
        EventBus.Subscription b = bus.subscribe(() -> { });
        for (int i = 0; i < 10; i++) {
            bus.publish(numbered(i));
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), drain(a));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), drain(b));
        assertEquals(10, wakeups.get(), "woken once per event queued");
        assertEquals(10, bus.published());
    }

    @Test
    void concurrentPublishersAreSeenInOneOrderByAll() throws InterruptedException {
        EventBus bus = new EventBus(10_000);
        EventBus.Subscription a = bus.subscribe(() -> { });
        EventBus.Subscription b = bus.subscribe(() -> { });
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    bus.publish(numbered(base + i));
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        List<Integer> seenA = drain(a);
        assertEquals(4000, seenA.size());
        assertEquals(seenA, drain(b));
        // Each publisher's own events stay in its order.
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            List<Integer> own = seenA.stream().filter(n -> n >= base && n < base + 1000).toList();
            for (int i = 1; i < own.size(); i++) {
                assertTrue(own.get(i) > own.get(i - 1));
            }
        }
    }

    @Test
    void aSubscriberThatFallsBehindGetsOneOverflowEventAndIsDroppedWhileOthersGoOn() {
        EventBus bus = new EventBus(3);
        EventBus.Subscription slow = bus.subscribe(() -> { });
        EventBus.Subscription quick = bus.subscribe(() -> { });
        List<Integer> quickSaw = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bus.publish(numbered(i));
            quickSaw.addAll(drain(quick));
        }
        assertEquals(List.of(0, 1, 2, -1), drain(slow), "the three it had room for, then the overflow, nothing after");
        assertNull(slow.poll());
        assertTrue(slow.overflowed());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), quickSaw);
        assertFalse(quick.overflowed());
        assertEquals(1, bus.overflows());
        assertEquals(1, bus.subscribers());
    }

    @Test
    void aReaderWithinTheLimitNeverOverflows() {
        EventBus bus = new EventBus(3);
        EventBus.Subscription s = bus.subscribe(() -> { });
        for (int i = 0; i < 100; i++) {
            bus.publish(numbered(i));
            if (i % 3 == 2) {
                drain(s);
            }
        }
        assertFalse(s.overflowed());
        assertEquals(0, bus.overflows());
    }

    @Test
    void anUnsubscribedReaderGetsNothingMoreAndHoldsNothing() {
        EventBus bus = new EventBus(3);
        AtomicInteger wakeups = new AtomicInteger();
        EventBus.Subscription s = bus.subscribe(wakeups::incrementAndGet);
        bus.publish(numbered(1));
        s.close();
        s.close();
        for (int i = 0; i < 10; i++) {
            bus.publish(numbered(i));
        }
        assertNull(s.poll(), "what was queued is dropped with it");
        assertEquals(1, wakeups.get());
        assertEquals(0, bus.subscribers());
        assertEquals(0, bus.overflows(), "leaving is not falling behind");
    }
}
