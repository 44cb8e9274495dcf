package io.vipkeeper.appliance.fuzz;

import io.vipkeeper.appliance.config.ConfigFuzzTarget;
import io.vipkeeper.appliance.config.LogLevel;
import io.vipkeeper.appliance.ipvs.IpvsFuzzTargets;
import io.vipkeeper.appliance.logging.Logging;
import io.vipkeeper.vrrp.fuzz.FuzzTally;
import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import io.vipkeeper.vrrp.fuzz.Fuzzer;
import io.vipkeeper.vrrp.fuzz.VrrpFuzzTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * vagrant/lab/bench-fuzz: every parser that reads the network, the kernel or the config file
 * fed a million random and mutated inputs (the targets of VrrpFuzzTest and ApplianceFuzzTest).
 * Prints per parser the outcomes by kind, the undeclared ones (must be 0, else the first
 * examples follow the table) and the rate over all threads. Options: --inputs N (1000000),
 * --seed S (random), --only TEXT (targets whose name contains it), --threads N (one per core);
 * thread i draws its inputs from seed S + i, so the same S and N repeat a run. Exits 1 if anything
 * undeclared came out.
 */
public final class FuzzBench {
    private static final String ROW = "%-32s %11s %11s %11s %10s %11s %9s%n";

    private FuzzBench() {
    }

    public static void main(String[] args) throws IOException {
        long inputs = 1_000_000;
        long seed = ThreadLocalRandom.current().nextLong();
        String only = "";
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--inputs" -> inputs = Long.parseLong(args[++i].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--only" -> only = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--inputs N, --seed S, --only TEXT, --threads N)");
            }
        }
        // As the daemon runs: the parsers' debug lines about every bad input would be the benchmark.
        Logging.configure(LogLevel.WARN, 0);
        Path work = Files.createTempDirectory("vipkeeper-fuzz");
        try {
            Path conf = Path.of(System.getProperty("vipkeeper.conf.dir", "conf"));
            AtomicInteger shard = new AtomicInteger();
            List<Supplier<FuzzTarget>> targets = new ArrayList<>();
            for (int i = 0; i < VrrpFuzzTargets.all().size(); i++) {
                int index = i;
                targets.add(() -> VrrpFuzzTargets.all().get(index));
            }
            for (int i = 0; i < IpvsFuzzTargets.all().size(); i++) {
                int index = i;
                targets.add(() -> IpvsFuzzTargets.all().get(index));
            }
            targets.add(() -> ConfigFuzzTarget.create(conf, work.resolve("shard-" + shard.incrementAndGet())));
            System.out.printf(Locale.ROOT, "fuzz: %,d inputs per parser on %d threads, seed %d%n%n", inputs,
                    threads, seed);
            System.out.printf(Locale.ROOT, ROW, "parser", "inputs", "accepted", "rejected", "undeclared",
                    "inputs/s", "us/input");
            List<FuzzTally> dirty = new ArrayList<>();
            for (Supplier<FuzzTarget> t : targets) {
                if (t.get().name().contains(only)) {
                    FuzzTally tally = Fuzzer.run(t, seed, inputs, threads);
                    print(tally);
                    if (tally.undeclared() != 0) {
                        dirty.add(tally);
                    }
                }
            }
            System.out.printf("%nundeclared outcomes: %s%n", dirty.isEmpty() ? "none" : "");
            dirty.forEach(t -> System.out.println(t.report()));
            if (!dirty.isEmpty()) {
                System.exit(1);
            }
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void print(FuzzTally t) {
        long accepted = t.outcomes().getOrDefault(FuzzTarget.ACCEPTED, 0L);
        long rejected = t.inputs() - accepted - t.undeclared();
        System.out.printf(Locale.ROOT, ROW, t.name(), n(t.inputs()), n(accepted), n(rejected), n(t.undeclared()),
                n(Math.round(t.inputsPerSecond())), String.format(Locale.ROOT, "%.2f", t.parseMicros()));
        String kinds = t.outcomes().entrySet().stream().filter(e -> !e.getKey().equals(FuzzTarget.ACCEPTED))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + n(e.getValue())).collect(Collectors.joining(", "));
        System.out.println("    " + kinds);
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
