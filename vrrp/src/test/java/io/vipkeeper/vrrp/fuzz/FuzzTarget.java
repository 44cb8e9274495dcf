package io.vipkeeper.vrrp.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A parser under fuzzing: the valid inputs its mutations start from, and one call that says what
 * the parser made of an input. {@link #run} returns the outcome's label ({@link #ACCEPTED} or a
 * declared rejection such as {@code "dropped: length"}); whatever it throws is an undeclared
 * outcome, i.e. a bug. A run must be deterministic (no state carried between inputs) so a
 * failing input can be replayed and shrunk.
 */
public interface FuzzTarget {
    /** The label of an input the parser accepted. */
    String ACCEPTED = "accepted";

    /** Name in reports. */
    String name();

    /** Valid inputs (captured vectors, encoder output, builder output); each must be accepted. */
    List<byte[]> seeds();

    /** The outcome's label for {@code input}; throws only on a bug. */
    String run(byte[] input);

    /** The next input: random bytes or mutations of a seed. */
    default byte[] input(SplittableRandom random) {
        return Mutator.input(seeds(), random);
    }

    /** An input as a report shows it (hex; text for text formats). */
    default String show(byte[] input) {
        return java.util.HexFormat.of().formatHex(input);
    }

    /**
     * Bytes one input may allocate before it counts as a length field trusted too far (an
     * allocation sized by the input rather than by what the input holds).
     */
    default long allocationLimit(int inputLength) {
        return (4L << 20) + 64L * inputLength;
    }

    /** A target from its parts. */
    static FuzzTarget of(String name, List<byte[]> seeds, Function<byte[], String> run) {
        return of(name, seeds, b -> { }, run);
    }

    /**
     * A target that gives half its inputs to {@code repair} first: a fix-up of the length or
     * checksum fields that mutations break, so that those inputs reach the checks behind them.
     */
    static FuzzTarget of(String name, List<byte[]> seeds, Consumer<byte[]> repair, Function<byte[], String> run) {
        return new FuzzTarget() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<byte[]> seeds() {
                return seeds;
            }

            @Override
            public byte[] input(SplittableRandom random) {
                byte[] b = Mutator.input(seeds, random);
                if (random.nextBoolean()) {
                    repair.accept(b);
                }
                return b;
            }

            @Override
            public String run(byte[] input) {
                return run.apply(input);
            }
        };
    }
}
