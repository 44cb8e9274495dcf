package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.pool.PoolPolicy.Placement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's truth table, every row, and the quorum with hysteresis over every weight. */
class PoolPolicyTest {

    @Test
    void everyRowOfThePlacementTable() {
        // sorry active, up, inhibit -> placement
        Object[][] table = {
            {false, true, false, Placement.IN},
            {false, true, true, Placement.IN},
            {false, false, false, Placement.OUT},
            {false, false, true, Placement.ZERO},
            {true, true, false, Placement.OUT},
            {true, true, true, Placement.ZERO},
            {true, false, false, Placement.OUT},
            {true, false, true, Placement.ZERO},
        };
        assertEquals(8, table.length);
        for (Object[] row : table) {
            assertEquals(row[3], PoolPolicy.realServer((boolean) row[1], (boolean) row[2], (boolean) row[0]),
                    "sorry=" + row[0] + " up=" + row[1] + " inhibit=" + row[2]);
        }
    }

    @Test
    void sorryServerOnlyWhileQuorumIsDown() {
        assertEquals(false, PoolPolicy.sorryActive(true, true));
        assertEquals(true, PoolPolicy.sorryActive(false, true));
        assertEquals(false, PoolPolicy.sorryActive(true, false));
        assertEquals(false, PoolPolicy.sorryActive(false, false));
    }

    @Test
    void quorumFallsBelowQuorumMinusHysteresisAndReturnsAtQuorumPlusHysteresis() {
        // quorum 3, hysteresis 1: weight walking down 6..0 and back up 0..6.
        List<Boolean> seen = new ArrayList<>();
        boolean up = PoolPolicy.quorumUp(false, 6, 3, 1);
        for (int w : new int[] {6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6}) {
            up = PoolPolicy.quorumUp(up, w, 3, 1);
            seen.add(up);
        }
        assertEquals(List.of(true, true, true, true, true, false, false, false, false, false, true, true, true), seen);
    }

    @Test
    void everyWeightAgainstEveryQuorumAndHysteresis() {
        for (int q = 0; q <= 5; q++) {
            for (int h = 0; h <= q; h++) {
                for (int w = 0; w <= 8; w++) {
                    boolean stays = w > 0 && w >= q - h;
                    boolean comes = w > 0 && w >= q + h;
                    String at = "q=" + q + " h=" + h + " w=" + w;
                    assertEquals(stays, PoolPolicy.quorumUp(true, w, q, h), "up " + at);
                    assertEquals(comes, PoolPolicy.quorumUp(false, w, q, h), "down " + at);
                    if (comes) {
                        assertEquals(true, stays, "a quorum that comes back also stays: " + at);
                    }
                }
            }
        }
    }

    @Test
    void noLiveWeightIsNeverAQuorumEvenAtQuorumZero() {
        assertEquals(false, PoolPolicy.quorumUp(true, 0, 0, 0));
        assertEquals(true, PoolPolicy.quorumUp(false, 1, 0, 0));
    }
}
