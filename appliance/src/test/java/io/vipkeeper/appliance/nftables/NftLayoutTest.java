package io.vipkeeper.appliance.nftables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How wrr and sh weights become slots of the plain slot map. */
class NftLayoutTest {
    @Test
    void weightsReduceByTheirCommonDivisor() {
        assertArrayEquals(new long[] {1, 2, 3}, NftLayout.shares(new long[] {100, 200, 300}));
        assertArrayEquals(new long[] {1, 1}, NftLayout.shares(new long[] {65535, 65535}));
        assertArrayEquals(new long[] {7, 3}, NftLayout.shares(new long[] {7, 3}));
    }

    @Test
    void weightsThatDoNotReduceAreSharedOutAndEveryBackendKeepsASlot() {
        long[] shares = NftLayout.shares(new long[] {65535, 1, 65534});
        assertArrayEquals(new long[] {2048, 1, 2047}, shares);
    }

    /** Thousands of light backends beside a heavy one: the heavy one keeps its share (a break found in review). */
    @Test
    void manyLightBackendsDoNotCrowdOutAHeavyOne() {
        long[] w = new long[4001];
        java.util.Arrays.fill(w, 1);
        w[4000] = 65535;
        long[] shares = NftLayout.shares(w);
        long sum = java.util.Arrays.stream(shares).sum();
        double heavy = (double) shares[4000] / sum;
        assertTrue(heavy > 0.93 && heavy < 0.95, "the heavy backend's share of the slots: " + heavy);
    }

    /**
     * Whatever the weights, a backend above 0 gets a slot, the map stays bounded, and a backend's
     * share of the slots is its share of the weight to within one slot's worth.
     */
    @Property(tries = 300)
    void sharesFollowTheWeightsWithinOneSlotAndStayBounded(
            @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 1, max = 65535) Integer> weights) {
        long[] w = weights.stream().mapToLong(Integer::longValue).toArray();
        long[] shares = NftLayout.shares(w);
        long sumW = 0;
        long sumS = 0;
        for (int i = 0; i < w.length; i++) {
            assertTrue(shares[i] >= 1, "every live backend has a slot");
            sumW += w[i];
            sumS += shares[i];
        }
        long cap = NftLayout.cap(w.length);
        assertTrue(sumS <= cap + w.length, "at most the cap plus one slot a backend: " + sumS);
        for (int i = 0; i < w.length; i++) {
            double want = (double) w[i] / sumW;
            double got = (double) shares[i] / sumS;
            double slot = 1.0 / Math.min(sumS, cap) + (double) w.length / sumS;
            assertTrue(Math.abs(want - got) <= slot, "weight share " + want + " against slot share " + got);
        }
    }
}
