package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AnnouncementScheduleTest {
    private final VirtualClock clock = new VirtualClock();
    private final AtomicInteger sent = new AtomicInteger();

    @Test
    void burstAtOnceThenAfterDelayThenEveryRefresh() {
        var s = new AnnouncementSchedule(clock, sent::incrementAndGet, 5, Duration.ofSeconds(5), Duration.ofSeconds(60));
        s.start();
        assertEquals(5, sent.get());
        clock.advanceMillis(4_999);
        assertEquals(5, sent.get());
        clock.advanceMillis(1);
        assertEquals(10, sent.get());
        clock.advanceMillis(60_000);
        assertEquals(15, sent.get());
        s.stop();
        clock.advanceMillis(600_000);
        assertEquals(15, sent.get());
    }

    @Test
    void noDelayAndNoRefreshMeansOneBurst() {
        var s = new AnnouncementSchedule(clock, sent::incrementAndGet, 3, Duration.ZERO, Duration.ZERO);
        s.start();
        clock.advanceMillis(600_000);
        assertEquals(3, sent.get());
        assertEquals(1, s.bursts());
    }

    @Test
    void restartingCancelsThePendingBurst() {
        var s = new AnnouncementSchedule(clock, sent::incrementAndGet, 1, Duration.ofSeconds(5), Duration.ZERO);
        s.start();
        clock.advanceMillis(1_000);
        s.start();
        clock.advanceMillis(4_500);
        assertEquals(2, sent.get(), "the first schedule's second burst was cancelled");
        clock.advanceMillis(1_000);
        assertEquals(3, sent.get());
    }
}
