package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;

/**
 * The Maglev lookup table of the mh scheduler (Eisenbud et al., "Maglev: A Fast and Reliable
 * Software Network Load Balancer", NSDI 2016, section 3.4): each backend walks its own permutation
 * of the slots, {@code offset + j * skip mod M}, offset and skip from two hashes of its address and
 * port, and the backends take turns claiming their next free slot until every slot is taken. A
 * backend that leaves frees only its own slots, and the others mostly keep theirs: about 1/N of the
 * slots move, which is what keeps a client on its backend across a change.
 *
 * <p>Weights as in IPVS's ip_vs_mh: divided by their greatest common divisor, shifted down when
 * the largest quotient needs more bits than the table size (IP_VS_MH_TAB_BITS, ilog2 of it), a
 * backend with weight w claims w slots per turn, weight 0 is absent. The backends take turns in {@link NftLayout#BACKEND_ORDER}
 * and the hashes use fixed keys, so the table is a pure function of the backends and their
 * weights: every director with the same config builds the same one.
 *
 * <p>{@link #SIZE}: 8191 slots, the smallest of the primes measured that keeps the remapping
 * within 1.1/N when one of 10 backends leaves or returns (MaglevBench's 10, every backend in
 * turn; a set where two backends draw the same skip walks one permutation twice and moves more):
 * 4093 moves 11.3 % of the slots on average (worst 11.5 %), 8191 10.8 % (worst 10.9 %), 16381
 * 10.5 %, 65537 10.2 %; IPVS's default 251 moves 14.3 %. At 100 backends no size in reach keeps
 * 1.1/N: Maglev's fill cascades into the others' slots as N grows against M, 3.7 % at 4093,
 * 2.9 % at 8191, 2.3 % at 16381 and still 1.6 % at 65537 (1/N is 1 %). The cost grows with M:
 * the slot map has M elements, and filling or listing it took about 60 ms at 4093, 60 to 120 ms
 * at 8191, 150 to 250 ms at 16381 and 0.8 to 2 s at 65537 with nft on this host (one service),
 * a price every refill of the service and every drift check (each reconcile run) pays.
 */
final class MaglevTable {
    /** Slots in the table, a prime (see the class description for why this one). */
    static final int SIZE = 8191;
    private static final long OFFSET_KEY = 0x6d61676c65763031L;
    private static final long SKIP_KEY = 0x6d61676c65763032L;

    private MaglevTable() {
    }

    /** The table for {@code backends}: slot index to backend, or an empty array when none has weight. */
    static BackendKey[] build(Collection<BackendSpec> backends) {
        return build(backends, SIZE);
    }

    /** The table of {@code size} slots ({@code size} a prime) for {@code backends}. */
    static BackendKey[] build(Collection<BackendSpec> backends, int size) {
        List<BackendSpec> live = backends.stream().filter(b -> b.weight() > 0)
                .sorted((a, b) -> NftLayout.BACKEND_ORDER.compare(a.key(), b.key())).toList();
        if (live.isEmpty()) {
            return new BackendKey[0];
        }
        int n = live.size();
        long[] offset = new long[n];
        long[] skip = new long[n];
        int[] turns = turns(live, 31 - Integer.numberOfLeadingZeros(size));
        for (int i = 0; i < n; i++) {
            byte[] id = identity(live.get(i).key());
            offset[i] = Long.remainderUnsigned(hash(id, OFFSET_KEY), size);
            skip[i] = Long.remainderUnsigned(hash(id, SKIP_KEY), size - 1) + 1;
        }
        BackendKey[] table = new BackendKey[size];
        long[] next = new long[n];
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < turns[i]; t++) {
                    int slot;
                    do {
                        slot = (int) ((offset[i] + next[i] * skip[i]) % size);
                        next[i]++;
                    } while (table[slot] != null);
                    table[slot] = live.get(i).key();
                    if (++filled == size) {
                        return table;
                    }
                }
            }
        }
    }

    /** Slots per round: weight / gcd, shifted as ip_vs_mh_shift_weight does to {@code bits}, at least 1. */
    private static int[] turns(List<BackendSpec> live, int bits) {
        int gcd = 0;
        int max = 0;
        for (BackendSpec b : live) {
            gcd = gcd(gcd, b.weight());
            max = Math.max(max, b.weight());
        }
        int shift = Math.max(0, 32 - Integer.numberOfLeadingZeros(max / gcd) - bits);
        int[] turns = new int[live.size()];
        for (int i = 0; i < turns.length; i++) {
            turns[i] = Math.max(1, (live.get(i).weight() / gcd) >> shift);
        }
        return turns;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Address bytes then the port, the backend's identity. */
    private static byte[] identity(BackendKey key) {
        byte[] address = key.address().getAddress();
        return ByteBuffer.allocate(address.length + 2).put(address).putShort((short) key.port()).array();
    }

    /** FNV-1a over the bytes from {@code key}, finished with MurmurHash3's fmix64 so every bit mixes. */
    static long hash(byte[] data, long key) {
        long h = 0xcbf29ce484222325L ^ key;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53a87ceL;
        h ^= h >>> 33;
        return h;
    }
}
