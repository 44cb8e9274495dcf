package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Rise/fall against an independent definition on every sequence of results up to 12 long, for
 * rise and fall 1..4 and both initial states: the state changes exactly when the last
 * {@code fall} (or {@code rise}) results since the last change all disagree with it.
 */
class RiseFallTest {
    private static final int LENGTH = 12;

    @Test
    void everySequenceAgreesWithTheDefinition() {
        int sequences = 0;
        for (int rise = 1; rise <= 4; rise++) {
            for (int fall = 1; fall <= 4; fall++) {
                for (boolean initial : new boolean[] {true, false}) {
                    for (int bits = 0; bits < 1 << LENGTH; bits++) {
                        check(rise, fall, initial, bits);
                        sequences++;
                    }
                }
            }
        }
        assertEquals(16 * 2 * 4096, sequences);
    }

    private static void check(int rise, int fall, boolean initial, int bits) {
        RiseFall rf = new RiseFall(rise, fall, initial);
        boolean state = initial;
        int lastChange = -1;
        for (int i = 0; i < LENGTH; i++) {
            boolean ok = (bits >> i & 1) == 1;
            int needed = state ? fall : rise;
            boolean change = i - lastChange >= needed;
            for (int j = i - needed + 1; change && j <= i; j++) {
                change = ((bits >> j & 1) == 1) != state;
            }
            assertEquals(change, rf.record(ok), () -> "rise " + rise + " fall " + fall + " initial " + initial
                    + " sequence " + Integer.toBinaryString(bits));
            if (change) {
                state = !state;
                lastChange = i;
            }
            assertEquals(state, rf.up());
        }
    }

    @Test
    void threeFailuresTakeItDownAndTwoSuccessesBringItBack() {
        RiseFall rf = new RiseFall(2, 3, true);
        assertFalse(rf.record(false));
        assertFalse(rf.record(false));
        assertFalse(rf.record(true));
        assertEquals(0, rf.run());
        assertFalse(rf.record(false));
        assertFalse(rf.record(false));
        assertEquals(2, rf.run());
        assertTrue(rf.record(false));
        assertFalse(rf.up());
        assertFalse(rf.record(true));
        assertTrue(rf.record(true));
        assertTrue(rf.up());
    }

    @Test
    void refusesZero() {
        assertThrows(IllegalArgumentException.class, () -> new RiseFall(0, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new RiseFall(1, 0, true));
    }
}
