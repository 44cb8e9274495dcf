package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import io.vipkeeper.vrrp.fuzz.Mutator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@link ConfigLoader} under fuzzing: the shipped config files (conf/) truncated, with flipped
 * bytes, HOCON tokens, keys from reference.conf and odd values put in, lines dropped or repeated.
 * The outcome is {@code accepted} (Settings) or a rejection named after its first problem; every
 * problem must name a file of this config and a line in it (a file-level "cannot read" of a
 * missing include, named wherever the include points, excepted; reference.conf names where a
 * substituted default came from). Inputs are written to one file beside a copy of
 * conf/samples/parts, so the sample's include resolves.
 */
public final class ConfigFuzzTarget implements FuzzTarget {
    private static final String[] VALUES = {"null", "true", "false", "yes", "0", "1", "-1", "255", "256", "65536",
        "2147483648", "9223372036854775808", "99999999999999999999999", "1e400", "-0.5", "NaN", "0s", "1s", "-1s",
        "10ms", "9ms", "1h", "999999999999999d", "1 fortnight", "\"\"", "\"198.18.0.1\"", "\"198.18.0.1/33\"",
        "\"198.18.0.1/-1\"", "\"::1\"", "\"fe80::1%eth0\"", "\"2001:db8::1/129\"", "\"eth0\"", "\"hex:00\"", "[]", "{}",
        "[1, \"a\", {}]", "{ a = 1 }", "${vipkeeper.log-level}", "${?nothing}", "${a}", "\"\\u0000\"", "\"\u00e9\"",
        "tcp", "udp", "nat", "dr", "tun", "wrr", "http", "script", "[\"/bin/true\"]", "\"relative/path\""};
    private static final String[] TOKENS = {"{", "}", "[", "]", "=", ":", ",", "\n", "\"", "${", "}", "+=", "#",
        "//", "\"\"\"", "include \"", "include required(\"", ".", "\\", " "};

    private final Path file;
    private final Path dir;
    private final List<byte[]> seeds;
    private final List<byte[]> dictionary;
    private final List<String> keys;

    private ConfigFuzzTarget(Path dir, List<byte[]> seeds, List<String> keys) {
        this.dir = dir;
        this.file = dir.resolve("fuzz.conf");
        this.seeds = seeds;
        this.keys = keys;
        List<byte[]> words = new ArrayList<>();
        for (String s : VALUES) {
            words.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (String s : TOKENS) {
            words.add(s.getBytes(StandardCharsets.UTF_8));
        }
        keys.forEach(k -> words.add(k.getBytes(StandardCharsets.UTF_8)));
        this.dictionary = List.copyOf(words);
    }

    /** Seeds from {@code confDir} (conf/), inputs written under {@code workDir}. */
    public static ConfigFuzzTarget create(Path confDir, Path workDir) {
        try {
            List<byte[]> seeds = new ArrayList<>();
            try (Stream<Path> s = Files.walk(confDir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                    seeds.add(Files.readAllBytes(p));
                }
            }
            Path parts = confDir.resolve("samples/parts");
            Files.createDirectories(workDir.resolve("parts"));
            try (Stream<Path> s = Files.list(parts)) {
                for (Path p : s.toList()) {
                    Files.copy(p, workDir.resolve("parts").resolve(p.getFileName().toString()));
                }
            }
            TreeSet<String> keys = new TreeSet<>();
            collectKeys(ConfigLoader.reference().root(), "", keys);
            return new ConfigFuzzTarget(workDir, List.copyOf(seeds), List.copyOf(keys));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key of reference.conf, as a path and as its last segment. */
    private static void collectKeys(ConfigObject o, String prefix, TreeSet<String> keys) {
        for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
            keys.add(e.getKey());
            keys.add(prefix + e.getKey());
            if (e.getValue() instanceof ConfigObject child) {
                collectKeys(child, prefix + e.getKey() + ".", keys);
            }
        }
    }

    @Override
    public String name() {
        return "ConfigLoader.load";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    /** Half byte-level mutations with the dictionary, half edits of whole lines. */
    @Override
    public byte[] input(SplittableRandom random) {
        if (random.nextBoolean()) {
            return Mutator.input(seeds, dictionary, random);
        }
        String text = new String(seeds.get(random.nextInt(seeds.size())), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            editLine(lines, random);
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private void editLine(List<String> lines, SplittableRandom random) {
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        String value = VALUES[random.nextInt(VALUES.length)];
        switch (random.nextInt(5)) {
            case 0 -> {
                int eq = line.indexOf('=');
                lines.set(at, eq < 0 ? line + " = " + value : line.substring(0, eq + 1) + " " + value);
            }
            case 1 -> lines.add(at, keys.get(random.nextInt(keys.size())) + " = " + value);
            case 2 -> lines.remove(at);
            case 3 -> lines.add(at, line);
            default -> lines.subList(at + 1, lines.size()).clear();
        }
        if (lines.isEmpty()) {
            lines.add("");
        }
    }

    @Override
    public String run(byte[] input) {
        try {
            Files.write(file, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // Every node's view, as check reads a file shared by the nodes of a pair.
            java.util.List<String> nodes = ConfigLoader.nodeNames(file);
            if (nodes.isEmpty()) {
                ConfigLoader.load(file);
            } else {
                EveryNode.load(file, DataPlaneResolver.ANY, nodes);
            }
            return ACCEPTED;
        } catch (InvalidConfigException e) {
            for (ConfigProblem p : e.problems()) {
                boolean ours = p.file().startsWith(dir.toString()) || p.file().endsWith("reference.conf");
                boolean missingInclude = p.message().startsWith("cannot read");
                if (!missingInclude && (!ours || p.line() <= 0)) {
                    throw new IllegalStateException("problem not located at a FILE:LINE of this config: " + p);
                }
            }
            return "rejected: " + kind(e.problems().get(0).message());
        }
    }

    private static String kind(String message) {
        int colon = message.indexOf(": ");
        String head = colon < 0 ? message : message.substring(0, colon);
        if (head.equals("syntax error") || head.equals("unresolved substitution") || head.equals("cannot read")) {
            return head;
        }
        return message.contains("unknown key") ? "unknown key" : "invalid setting";
    }

    @Override
    public String show(byte[] input) {
        return "\n" + new String(input, StandardCharsets.UTF_8);
    }

    /** Parsing reference.conf anew on every load costs a few megabytes, nothing an input sizes. */
    @Override
    public long allocationLimit(int inputLength) {
        return 256L << 20;
    }
}
