package io.vipkeeper.vrrp.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The fuzz run {@code mvn test} makes of a target: a few thousand inputs (the caller says how
 * many) from a fresh seed, so every build explores new inputs; a failure names its seed and its
 * shrunk input.
 * {@code -Dvipkeeper.fuzz.seed=S} replays a run, {@code -Dvipkeeper.fuzz.inputs=N} makes it longer.
 */
public final class FuzzSlice {
    /** Only a safety net for a parser that loops forever (a slow input is caught per input). */
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private FuzzSlice() {
    }

    /** The targets as named test arguments. */
    public static Stream<Named<FuzzTarget>> named(List<FuzzTarget> targets) {
        return targets.stream().map(t -> Named.of(t.name(), t));
    }

    /** Runs {@code defaultInputs} inputs (or the property's number) and fails on anything undeclared. */
    public static FuzzTally check(FuzzTarget target, int defaultInputs) {
        long seed = Long.getLong("vipkeeper.fuzz.seed", ThreadLocalRandom.current().nextLong());
        long inputs = Long.getLong("vipkeeper.fuzz.inputs", defaultInputs);
        FuzzTally tally = assertTimeoutPreemptively(LIMIT, () -> Fuzzer.run(target, seed, inputs),
                () -> target.name() + " hung (seed " + seed + ")");
        tally.assertClean();
        return tally;
    }
}
