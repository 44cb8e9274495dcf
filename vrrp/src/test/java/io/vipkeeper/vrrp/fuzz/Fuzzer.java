package io.vipkeeper.vrrp.fuzz;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Feeds a {@link FuzzTarget} its seeds, then generated inputs, and tallies the outcomes. Anything
 * thrown (errors included: a stack overflow or an OutOfMemoryError from a trusted length field),
 * an input that takes over a second of CPU (a hang) and one that allocates past the target's
 * limit are undeclared outcomes; the first of each kind is shrunk and kept with its stack trace.
 */
public final class Fuzzer {
    /**
     * One input that keeps its thread busy longer than this is taken for a hang (CPU time, not wall
     * time: a GC pause or the other fuzzing threads must not count).
     */
    static final long SLOW_NANOS = 1_000_000_000L;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Fuzzer() {
    }

    /**
     * Runs {@code inputs} inputs split over {@code threads} threads, each with a target of its own
     * from {@code targets} and its own stream of inputs drawn from {@code seed}; one tally for all.
     */
    public static FuzzTally run(Supplier<FuzzTarget> targets, long seed, long inputs, int threads) {
        List<FuzzTarget> own = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            own.add(targets.get());
        }
        long start = System.nanoTime();
        List<CompletableFuture<FuzzTally>> runs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            FuzzTarget t = own.get(i);
            long share = inputs / threads + (i < inputs % threads ? 1 : 0);
            long streamSeed = seed + i;
            runs.add(CompletableFuture.supplyAsync(() -> run(t, streamSeed, share), r -> new Thread(r).start()));
        }
        FuzzTally all = new FuzzTally(own.get(0), seed);
        runs.forEach(r -> all.add(r.join()));
        all.timing(System.nanoTime() - start, -1);
        return all;
    }

    /** Runs {@code inputs} inputs drawn from {@code seed} (after the seeds, which also warm the code up). */
    public static FuzzTally run(FuzzTarget target, long seed, long inputs) {
        FuzzTally tally = new FuzzTally(target, seed);
        for (int i = 0; i < target.seeds().size(); i++) {
            byte[] s = target.seeds().get(i).clone();
            String outcome;
            try {
                outcome = target.run(s);
            } catch (RuntimeException | Error e) {
                outcome = e.toString();
            }
            if (!FuzzTarget.ACCEPTED.equals(outcome)) {
                tally.problem("seed " + i + " is not accepted but " + outcome + ": " + target.show(s));
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        long parsing = 0;
        for (long i = 0; i < inputs; i++) {
            byte[] input = target.input(random);
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            long before = System.nanoTime();
            String outcome;
            try {
                outcome = target.run(input);
            } catch (RuntimeException | Error e) {
                tally.undeclared(input, e);
                continue;
            }
            long nanos = System.nanoTime() - before;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            parsing += nanos;
            if (cpu > SLOW_NANOS) {
                tally.violation("took " + cpu / 1_000_000 + " ms of CPU", input);
            } else if (allocated > target.allocationLimit(input.length)) {
                tally.violation("allocated " + allocated + " bytes", input);
            } else {
                tally.count(outcome);
            }
        }
        tally.timing(System.nanoTime() - start, parsing);
        return tally;
    }
}
