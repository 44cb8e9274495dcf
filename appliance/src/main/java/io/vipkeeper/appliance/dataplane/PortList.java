package io.vipkeeper.appliance.dataplane;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ports of a multiport service (nftlb's {@code virtports = "80,443,8000-8100"}): ranges in
 * port order, overlapping and adjacent ones merged, so one set of ports has one spelling (it is
 * part of the service's identity, and nft reads the same ranges back).
 *
 * @param ranges the ranges, normalized
 */
public record PortList(List<Range> ranges) {
    /** No port list: the service has one port (or is a firewall-mark service). */
    public static final PortList NONE = new PortList(List.of());

    /** Sorts and merges {@code ranges}. */
    public PortList {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(Range::from));
        List<Range> merged = new ArrayList<>();
        for (Range r : sorted) {
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r.from() <= last.to() + 1) {
                merged.set(merged.size() - 1, new Range(last.from(), Math.max(last.to(), r.to())));
            } else {
                merged.add(r);
            }
        }
        ranges = List.copyOf(merged);
    }

    /** A range of ports, {@code from} to {@code to} inclusive, 1..65535. */
    public record Range(int from, int to) {
        /** Checks the bounds. */
        public Range {
            if (from < 1 || to > 65535 || from > to) {
                throw new IllegalArgumentException("not a port range 1..65535: " + from + "-" + to);
            }
        }

        /** {@code 80} or {@code 8000-8100}. */
        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether some port is in both lists. */
    public boolean overlaps(PortList other) {
        return ranges.stream().anyMatch(a -> other.ranges.stream().anyMatch(b -> a.from() <= b.to() && b.from() <= a.to()));
    }

    /** {@code 80,443,8000-8100}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return ranges.stream().map(Range::toString).collect(Collectors.joining(","));
    }

    /** Reads {@link #toString}'s form; throws IllegalArgumentException on anything else. */
    public static PortList parse(String text) {
        List<Range> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            ranges.add(range(part));
        }
        return new PortList(ranges);
    }

    /** One {@code N} or {@code A-B}; throws IllegalArgumentException when it is neither, or out of 1..65535. */
    public static Range range(String text) {
        String t = text.strip();
        if (!t.matches("\\d{1,5}(-\\d{1,5})?")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a port or a range A-B");
        }
        int dash = t.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? t : t.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(t.substring(dash + 1));
        return new Range(from, to);
    }
}
