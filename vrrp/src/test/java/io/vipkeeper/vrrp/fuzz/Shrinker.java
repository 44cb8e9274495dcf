package io.vipkeeper.vrrp.fuzz;

import java.util.Arrays;

/**
 * Shrinks an input that makes a target throw to a smaller one that throws the same class: drops
 * ranges (halving their size down to one byte), then zeroes bytes, while the failure stays;
 * gives up after a few seconds (a failure may be a 2 GiB allocation each time).
 */
final class Shrinker {
    private static final int MAX_TRIES = 20_000;
    private static final long MAX_NANOS = 5_000_000_000L;

    private Shrinker() {
    }

    static byte[] shrink(FuzzTarget target, byte[] input, Class<? extends Throwable> failure) {
        byte[] best = input;
        long deadline = System.nanoTime() + MAX_NANOS;
        int tries = 0;
        for (int chunk = Math.max(1, best.length / 2); chunk >= 1 && tries < MAX_TRIES; chunk /= 2) {
            for (int at = 0; at + chunk <= best.length && tries < MAX_TRIES; tries++) {
                byte[] candidate = new byte[best.length - chunk];
                System.arraycopy(best, 0, candidate, 0, at);
                System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
                if (fails(target, candidate, failure, deadline)) {
                    best = candidate;
                } else {
                    at += chunk;
                }
            }
        }
        for (int i = 0; i < best.length && tries < MAX_TRIES; i++, tries++) {
            if (best[i] != 0) {
                byte[] candidate = Arrays.copyOf(best, best.length);
                candidate[i] = 0;
                if (fails(target, candidate, failure, deadline)) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    private static boolean fails(FuzzTarget target, byte[] input, Class<? extends Throwable> failure,
            long deadline) {
        if (System.nanoTime() > deadline) {
            return false;
        }
        try {
            target.run(input.clone());
            return false;
        } catch (RuntimeException | Error e) {
            return e.getClass() == failure;
        }
    }
}
