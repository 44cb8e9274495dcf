package io.vipkeeper.appliance.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Repeated measurements by name, printed as "median [min..max] xN" (the median as FailoverBench takes it: the upper one of an even count) so a benchmark on a shared,
 * noisy machine shows its spread next to each figure.
 */
final class Spread {
    private final Map<String, List<Double>> values = new TreeMap<>();

    void add(String name, double value) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /** The median of {@code name}'s values, or null if none was taken. */
    Double median(String name) {
        List<Double> xs = values.get(name);
        return xs == null || xs.isEmpty() ? null : FailoverBench.median(xs);
    }

    /** The figure for {@code name} with {@code digits} decimals, or "-" if none was taken. */
    String show(String name, int digits) {
        List<Double> xs = values.get(name);
        if (xs == null || xs.isEmpty()) {
            return "-";
        }
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        String f = "%." + digits + "f";
        if (sorted.size() == 1) {
            return String.format(Locale.ROOT, f, sorted.get(0));
        }
        return String.format(Locale.ROOT, f + " [" + f + ".." + f + "] x%d", FailoverBench.median(sorted), sorted.get(0),
                sorted.get(sorted.size() - 1), sorted.size());
    }
}
