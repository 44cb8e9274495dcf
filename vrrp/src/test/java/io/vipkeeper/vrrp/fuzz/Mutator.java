package io.vipkeeper.vrrp.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes fuzz inputs: one in eight is random bytes, the rest a valid seed with one to eight
 * mutations of the kinds that find parser bugs (AFL's): bit flips, random and boundary bytes,
 * boundary values written over 16- and 32-bit fields in either byte order (the length fields),
 * truncation, growth, deleted, repeated and inserted ranges, splices of two seeds, and tokens
 * from a dictionary.
 */
public final class Mutator {
    /** Longest random input. */
    static final int MAX_RANDOM = 600;
    private static final int[] BYTES = {0x00, 0x01, 0x02, 0x03, 0x04, 0x0f, 0x10, 0x20, 0x40, 0x7f, 0x80, 0xfe, 0xff};
    private static final int[] WORDS = {0, 1, 3, 4, 8, 15, 16, 20, 0xff, 0x100, 0x7fff, 0x8000, 0xfffc, 0xffff,
        0x10000, 0x7ffffff0, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff};

    private Mutator() {
    }

    /** An input from {@code seeds} (random bytes when there are none). */
    public static byte[] input(List<byte[]> seeds, SplittableRandom random) {
        return input(seeds, List.of(), random);
    }

    /** The same, also inserting or writing over with tokens from {@code dictionary}. */
    public static byte[] input(List<byte[]> seeds, List<byte[]> dictionary, SplittableRandom random) {
        if (seeds.isEmpty() || random.nextInt(8) == 0) {
            return randomBytes(random, random.nextInt(MAX_RANDOM + 1));
        }
        byte[] b = seeds.get(random.nextInt(seeds.size()));
        for (int i = 1 + random.nextInt(random.nextInt(8) + 1); i > 0; i--) {
            b = mutate(b, seeds, dictionary, random);
        }
        return b;
    }

    /** One mutation of {@code b} (a new array; {@code b} is left alone). */
    public static byte[] mutate(byte[] b, List<byte[]> seeds, List<byte[]> dictionary, SplittableRandom random) {
        int n = b.length;
        int at = n == 0 ? 0 : random.nextInt(n);
        byte[] out = b.clone();
        switch (random.nextInt(dictionary.isEmpty() ? 11 : 13)) {
            case 0 -> {
                if (n > 0) {
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                if (n > 0) {
                    out[at] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                if (n > 0) {
                    out[at] = (byte) BYTES[random.nextInt(BYTES.length)];
                }
            }
            case 3 -> putWord(out, at, 2, interesting(n, random), random.nextBoolean());
            case 4 -> putWord(out, at, 4, interesting(n, random), random.nextBoolean());
            case 5 -> out = Arrays.copyOf(b, random.nextInt(n + 1));
            case 6 -> out = concat(b, randomBytes(random, 1 + random.nextInt(64)));
            case 7 -> out = delete(b, at, random.nextInt(n - at + 1));
            case 8 -> {
                int len = random.nextInt(Math.min(64, n - at) + 1);
                out = insert(b, random.nextInt(n + 1), Arrays.copyOfRange(b, at, at + len));
            }
            case 9 -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = random.nextInt(other.length + 1);
                out = concat(Arrays.copyOf(b, random.nextInt(n + 1)), Arrays.copyOfRange(other, cut, other.length));
            }
            case 10 -> out = insert(b, random.nextInt(n + 1), randomBytes(random, 1 + random.nextInt(16)));
            case 11 -> out = insert(b, random.nextInt(n + 1), dictionary.get(random.nextInt(dictionary.size())));
            default -> {
                byte[] token = dictionary.get(random.nextInt(dictionary.size()));
                out = insert(delete(b, at, Math.min(token.length, n - at)), at, token);
            }
        }
        return out;
    }

    /** A boundary value, or one near this input's length (what length fields compare against). */
    private static long interesting(int length, SplittableRandom random) {
        return random.nextInt(4) == 0 ? length + random.nextInt(9) - 4 : WORDS[random.nextInt(WORDS.length)];
    }

    private static void putWord(byte[] b, int at, int size, long value, boolean bigEndian) {
        for (int i = 0; i < size && at + i < b.length; i++) {
            int shift = 8 * (bigEndian ? size - 1 - i : i);
            b[at + i] = (byte) (value >>> shift);
        }
    }

    /** {@code length} random bytes. */
    public static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** {@code a} followed by {@code b} (seeds of several messages in one datagram). */
    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        return concat(concat(Arrays.copyOf(b, at), what), Arrays.copyOfRange(b, at, b.length));
    }

    private static byte[] delete(byte[] b, int at, int len) {
        return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, b.length));
    }
}
