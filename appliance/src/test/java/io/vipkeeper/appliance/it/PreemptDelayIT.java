package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/**
 * preempt-delay as keepalived's preempt_delay: not only after start. A master whose cable was
 * pulled comes back long after its start and waits the delay again before it takes the VIP back
 * from the backup that stood in (a flapping link does not move the VIP back and forth).
 */
class PreemptDelayIT extends SubnetPair {
    PreemptDelayIT() {
        super("198.19.61");
    }


    @Test
    void aMasterBackFromAFaultWaitsThePreemptDelayAgain() throws Exception {
        // lb1 first and alone: it becomes master by Master_Down, not by preempting lb2.
        JarProcess lb1 = start("lb1", 150, "preempt-delay = 3s");
        lb1.awaitLog("vi_1: BACKUP -> MASTER (master_down)");
        JarProcess lb2 = start("lb2", 100, "");
        lb2.awaitLog("vi_1: INITIALIZE -> BACKUP");
        Lab.await(5, "lb1 holds the VIP", () -> has("lb1"));
        Thread.sleep(3500); // past the delay counted from lb1's start

        lab.cable("lb1", false);
        lb1.awaitLog("vi_1: MASTER -> FAULT");
        lb2.awaitLog("vi_1: BACKUP -> MASTER");
        lab.cable("lb1", true);
        lb1.awaitLog("vi_1: FAULT -> BACKUP");
        lb1.awaitLog("preempting after preempt-delay 3000 ms");
        Thread.sleep(1000);
        assertTrue(has("lb2"), "lb2 keeps the VIP within lb1's preempt-delay");
        lb1.awaitLog("vi_1: BACKUP -> MASTER (preempt)");
        // Measured on the daemon's own clock (its log), not by when this test noticed the lines.
        Duration waited = Duration.between(logged(lb1, "vi_1: FAULT -> BACKUP"),
                logged(lb1, "vi_1: BACKUP -> MASTER (preempt)"));
        assertTrue(waited.toMillis() >= 3000, "not before the delay: " + waited);
        Lab.await(5, "lb2 releases the VIP", () -> !has("lb2"));
    }

    /** When the daemon logged the last line with {@code text} (its lines begin "2026-12-07 05:22:14.349+0000"). */
    private static OffsetDateTime logged(JarProcess p, String text) throws Exception {
        String line = p.err().lines().filter(l -> l.contains(text)).reduce((a, b) -> b).orElseThrow();
        return OffsetDateTime.parse(line.substring(0, 28), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxx"));
    }
}
