package io.vipkeeper.appliance.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests, also the lab's: every
 * line must be a HELP, a TYPE or a well-formed sample of a declared family, or the parse fails
 * naming the line.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped|info)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{((?:" + LABEL + ",?)*)\\})? "
            + "([-+]?(?:[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|Inf|NaN))(?: -?[0-9]+)?");
    private static final Pattern ONE_LABEL = Pattern.compile(LABEL);

    /** One sample. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    /** Parses {@code text}, failing on the first malformed line. */
    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty() && n == text.split("\n", -1).length) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                if (p.types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("line " + n + ": family declared twice: " + line);
                }
                continue;
            }
            m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("line " + n + " is not a sample: " + line);
            }
            String name = m.group(1);
            if (p.family(name) == null) {
                throw new AssertionError("line " + n + ": sample of an undeclared family: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = ONE_LABEL.matcher(m.group(2));
                while (l.find()) {
                    if (labels.put(l.group(1), l.group(2)) != null) {
                        throw new AssertionError("line " + n + ": label repeated: " + line);
                    }
                }
            }
            String v = m.group(m.groupCount());
            double value = v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : Double.parseDouble(v);
            p.samples.add(new Sample(name, labels, value));
        }
        return p;
    }

    /** The declared family a sample name belongs to (counters add _total, info _info), or null. */
    String family(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_total", "_created", "_info", "_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    /** The value of the one sample named {@code name} with exactly {@code labels} (name, value, ...). */
    public double value(String name, String... labels) {
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + want + " in " + samples);
        }
        return found.get(0).value();
    }

    /** Whether some sample is named {@code name}. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
