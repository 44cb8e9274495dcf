package io.vipkeeper.vrrp.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What one fuzz run of one target saw: outcomes by label, undeclared ones with their first examples. */
public final class FuzzTally {
    private static final int EXAMPLES = 5;
    private final FuzzTarget target;
    private final long seed;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final Set<String> kindsSeen = new HashSet<>();
    private final List<String> problems = new ArrayList<>();
    private long inputs;
    private long undeclared;
    private long elapsedNanos;
    private long parsingNanos;

    FuzzTally(FuzzTarget target, long seed) {
        this.target = target;
        this.seed = seed;
    }

    void count(String outcome) {
        inputs++;
        outcomes.merge(outcome, 1L, Long::sum);
    }

    /** An exception escaped: counted; the first of each kind (class and throwing frame) is shrunk and kept. */
    void undeclared(byte[] input, Throwable e) {
        inputs++;
        undeclared++;
        StackTraceElement[] trace = e.getStackTrace();
        String kind = e.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : "");
        if (kindsSeen.add(kind) && problems.size() < EXAMPLES) {
            byte[] small = Shrinker.shrink(target, input, e.getClass());
            StringWriter stack = new StringWriter();
            e.printStackTrace(new PrintWriter(stack));
            problem("undeclared " + e + "\n  input (" + input.length + " bytes, shrunk to " + small.length + "): "
                    + target.show(small) + "\n  " + stack);
        }
    }

    /** A hang or an oversized allocation: counted as undeclared, the first few kept. */
    void violation(String what, byte[] input) {
        inputs++;
        undeclared++;
        if (problems.size() < EXAMPLES) {
            problem(what + " on input " + target.show(input));
        }
    }

    void problem(String text) {
        problems.add(text);
    }

    /** Sets the wall time, and the time spent in the parser unless {@code parsing} is negative (kept). */
    void timing(long elapsed, long parsing) {
        this.elapsedNanos = elapsed;
        if (parsing >= 0) {
            this.parsingNanos = parsing;
        }
    }

    /** Counts in another run's inputs, outcomes, examples and parser time (not its wall time). */
    void add(FuzzTally other) {
        inputs += other.inputs;
        undeclared += other.undeclared;
        other.outcomes.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
        other.problems.stream().filter(p -> !problems.contains(p)).limit(EXAMPLES).forEach(problems::add);
        parsingNanos += other.parsingNanos;
    }

    /** Target name. */
    public String name() {
        return target.name();
    }

    /** Inputs run (seeds not counted). */
    public long inputs() {
        return inputs;
    }

    /** Count per outcome label, {@link FuzzTarget#ACCEPTED} and the declared rejections. */
    public Map<String, Long> outcomes() {
        return outcomes;
    }

    /** Inputs with an undeclared outcome (exception, hang, oversized allocation). */
    public long undeclared() {
        return undeclared;
    }

    /** Inputs per second of the whole loop (making inputs included). */
    public double inputsPerSecond() {
        return elapsedNanos == 0 ? 0 : inputs * 1e9 / elapsedNanos;
    }

    /** Mean time in the parser per input (per thread), in microseconds. */
    public double parseMicros() {
        return inputs == 0 ? 0 : parsingNanos / 1e3 / inputs;
    }

    /** Nothing undeclared and every seed accepted; else an error with the seed and the first examples. */
    public void assertClean() {
        if (!problems.isEmpty() || undeclared != 0) {
            throw new AssertionError(report());
        }
    }

    /** The run's findings, reproducible with {@code -Dvipkeeper.fuzz.seed=}. */
    public String report() {
        return target.name() + " (seed " + seed + "): " + undeclared + " undeclared of " + inputs + " inputs "
                + outcomes + "\n" + String.join("\n", problems);
    }
}
