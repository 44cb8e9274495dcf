package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fixed-seed slice of the fault lab ({@link ChaosLab}, {@code vagrant/lab/chaos}) in every
 * {@code mvn verify}: two minutes of random reloads, broken files, signals, kills, link faults,
 * partitions, loss, burners, forged adverts and deleted VIPs against a vipkeeper pair, with the
 * daemons at the unit's nice -10; any violation fails it, and its report (printed) names the
 * seed that replays it. Seed 395's first 60 operations hold every kind, every reload effect and
 * the empty and half-written files.
 */
class ChaosIT {
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aSeededSliceOfTheFaultLabKeepsEveryInvariant() throws Exception {
        String nice = System.getProperty("vipkeeper.nice");
        System.setProperty("vipkeeper.nice", "-10");
        try {
            ChaosLab.Result r = ChaosLab.run(new ChaosLab.Options(395, Duration.ofMinutes(2), false, 100, Set.of()),
                    System.out);
            assertEquals(List.of(), r.violations(), "the lab's report above shows the timeline");
            assertTrue(r.operations() >= 30, "ran " + r.operations() + " operations");
        } finally {
            if (nice == null) {
                System.clearProperty("vipkeeper.nice");
            } else {
                System.setProperty("vipkeeper.nice", nice);
            }
        }
    }
}
