package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up stops at its deadline, however many rounds it was given. */
class WarmupTest {
    @Test
    void stopsAtItsDeadline() {
        // Ten million rounds take hours; with a deadline 200 ms away it must return long before 60 s
        // (under TCG emulation on a loaded host 300 rounds took over a minute and the demo missed its start).
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Warmup.run(10_000_000, System.nanoTime() + 200_000_000L));
    }
}
