package io.vipkeeper.appliance.nftables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

/** The mh scheduler's Maglev table: remapping on a change, purity, weights. */
class MaglevTableTest {
    /**
     * Removing one of N backends moves its own slots and few others: every slot it had goes to a
     * backend that stays; in at least 80 % of the tries the others' slots that move stay under
     * 2.5 % of the table (their 90th percentile measured 0.8 % at up to 10 backends, 2.0 % at
     * 100); and never above 8 %. Maglev has a tail: two backends with the same skip walk the same
     * permutation, and the fill then cascades further (5 % seen in one of some thousand random
     * sets of 10). MaglevBench prints the mean, which is the ≈1/N figure (1.08/N at 10 backends).
     * The seed is fixed: the 80 % is a statistical bound, and 40 fresh draws per build would fail
     * a build now and then on a rare set rather than on a change to the table.
     */
    @Property(tries = 40, seed = "20261206")
    void removingOneOfNBackendsMovesItsOwnSlotsAndFewOthers(
            @ForAll @Size(min = 2, max = 100) @UniqueElements List<@IntRange(min = 1, max = 65000) Integer> hosts,
            @ForAll @IntRange(min = 0, max = 99) int pick) throws UnknownHostException {
        List<BackendSpec> all = backends(hosts, 1);
        BackendSpec gone = all.get(pick % all.size());
        List<BackendSpec> rest = new ArrayList<>(all);
        rest.remove(gone);
        BackendKey[] before = MaglevTable.build(all);
        BackendKey[] after = MaglevTable.build(rest);
        int own = 0;
        int others = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i].equals(gone.key())) {
                own++;
                assertTrue(!after[i].equals(gone.key()), "slot " + i + " left with its backend");
            } else if (!before[i].equals(after[i])) {
                others++;
            }
        }
        String what = own + " slots of the leaving backend and " + others + " others of " + MaglevTable.SIZE + " moved when 1 of "
                + all.size() + " left";
        assertTrue(others <= 0.08 * MaglevTable.SIZE, what);
        Statistics.label("others under 2.5 %").collect(others <= 0.025 * MaglevTable.SIZE);
        Statistics.label("others under 2.5 %").coverage(check -> check.check(true).percentage(p -> p >= 80.0));
    }

    /** The table depends on the backends and their weights only: not on their order or on weight-0 ones. */
    @Property(tries = 30)
    void theTableIsAPureFunctionOfTheBackendSet(
            @ForAll @Size(min = 1, max = 50) @UniqueElements List<@IntRange(min = 1, max = 65000) Integer> hosts,
            @ForAll long shuffle) throws UnknownHostException {
        List<BackendSpec> all = backends(hosts, 3);
        List<BackendSpec> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(shuffle));
        shuffled.add(new BackendSpec(new BackendKey(InetAddress.getByName("198.19.255.255"), 8080), Forwarding.NAT, 0, 0, 0));
        BackendKey[] table = MaglevTable.build(all);
        assertArrayEquals(table, MaglevTable.build(shuffled));
        assertEquals(Set.copyOf(all.stream().map(BackendSpec::key).toList()), Set.copyOf(Arrays.asList(table)), "every backend has slots, no other");
    }

    @Property(tries = 20)
    void aBackendOfWeightWTakesWTimesTheSlotsOfWeightOne(
            @ForAll @Size(min = 2, max = 20) @UniqueElements List<@IntRange(min = 1, max = 65000) Integer> hosts,
            @ForAll @IntRange(min = 2, max = 5) int weight) throws UnknownHostException {
        List<BackendSpec> all = new ArrayList<>(backends(hosts, 1));
        BackendSpec heavy = all.get(0).withWeight(weight);
        all.set(0, heavy);
        Map<BackendKey, Integer> share = new HashMap<>();
        for (BackendKey b : MaglevTable.build(all)) {
            share.merge(b, 1, Integer::sum);
        }
        double fair = MaglevTable.SIZE / (double) (all.size() - 1 + weight);
        assertEquals(weight * fair, share.get(heavy.key()), 2.0 * weight, "slots of the backend of weight " + weight);
        assertEquals(fair, share.get(all.get(1).key()), 2.0, "slots of a backend of weight 1");
    }

    @Property(tries = 10)
    void weightsAreTakenRelativeToEachOther(
            @ForAll @Size(min = 1, max = 20) @UniqueElements List<@IntRange(min = 1, max = 65000) Integer> hosts)
            throws UnknownHostException {
        assertArrayEquals(MaglevTable.build(backends(hosts, 1)), MaglevTable.build(backends(hosts, 100)));
    }

    /** IPVS shifts weights down to the table's bits (12 for 8191): 65535 against 1 is 4095 turns to 1, and the light one keeps slots. */
    @Property(tries = 5)
    void largeWeightsAreShiftedDownAsIpvsDoes(@ForAll @IntRange(min = 2, max = 20) int light) throws UnknownHostException {
        List<BackendSpec> all = new ArrayList<>(backends(java.util.stream.IntStream.rangeClosed(1, light).boxed().toList(), 1));
        all.set(0, all.get(0).withWeight(65535));
        Map<BackendKey, Integer> share = new HashMap<>();
        for (BackendKey b : MaglevTable.build(all)) {
            share.merge(b, 1, Integer::sum);
        }
        double fair = MaglevTable.SIZE / (4095.0 + light - 1);
        for (BackendSpec b : all.subList(1, all.size())) {
            assertEquals(fair, share.getOrDefault(b.key(), 0), 1.5, "slots of a backend of weight 1 beside one of 65535");
        }
    }

    @Property(tries = 5)
    void noBackendAboveWeightZeroIsAnEmptyTable(
            @ForAll @Size(max = 5) @UniqueElements List<@IntRange(min = 1, max = 65000) Integer> hosts) throws UnknownHostException {
        assertEquals(0, MaglevTable.build(backends(hosts, 0)).length);
    }

    /** Backends of weight {@code weight} on 198.19.0.0/16 port 8080, one per host number. */
    static List<BackendSpec> backends(List<Integer> hosts, int weight) throws UnknownHostException {
        List<BackendSpec> list = new ArrayList<>();
        for (int h : hosts) {
            BackendKey key = new BackendKey(InetAddress.getByAddress(new byte[] {(byte) 198, 19, (byte) (h >> 8), (byte) h}), 8080);
            list.add(new BackendSpec(key, Forwarding.NAT, weight, 0, 0));
        }
        return list;
    }
}
