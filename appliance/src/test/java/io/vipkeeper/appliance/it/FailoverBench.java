package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * VRRP benchmark, vipkeeper beside keepalived in the same network-namespace topology (two load
 * balancers and a client on a bridge). Prints a table; asserts nothing. Run it with
 * {@code vagrant/lab/bench-failover [--trials N] [--soak 10m]}.
 *
 * <ul>
 *   <li>outage seen by a client sending an ICMP echo to the VIP every 1 ms ({@link VipProbe}) while
 *       the master's cable is pulled;
 *   <li>graceful handover: the same when the master gets SIGTERM (priority 0);
 *   <li>soak: spurious transitions at 10 ms adverts with both cores busy (two CPU burners and an
 *       allocating agent inside each vipkeeper JVM), and vipkeeper's peak RSS.
 * </ul>
 */
public final class FailoverBench {
    private static final String VIP = "198.18.1.100";

    /** An advert interval in both products' notation. */
    record Interval(String label, int version, String keepalived, String vipkeeper, double masterDownMs,
            double skewMs) {
    }

    private static final List<Interval> INTERVALS = List.of(
            new Interval("v2 1 s", 2, "1", "1s", 3609.4, 609.4),
            new Interval("v3 1 s", 3, "1", "1s", 3609.4, 609.4),
            new Interval("v3 100 ms", 3, "0.1", "100ms", 360.9, 60.9),
            new Interval("v3 10 ms", 3, "0.01", "10ms", 36.1, 6.1));

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = 3;
        Duration soak = Duration.ofMinutes(10);
        String only = "";
        String load = "1:200";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--soak" -> soak = parseDuration(args[++i]);
                case "--only" -> only = args[++i];
                case "--load" -> load = args[++i];
                default -> throw new IllegalArgumentException("usage: [--trials N] [--soak 10m|0] [--only '10 ms'] [--load THREADS:MB_PER_S]");
            }
        }
        Path dir = Files.createTempDirectory("vipkeeper-bench");
        List<String> nice = JarProcess.nice();
        System.out.println("Both products run at " + (nice.isEmpty() ? "the default priority"
                : "nice " + System.getProperty("vipkeeper.nice") + " (the priority of vipkeeper.service)") + "; the soak's burners at 0.");
        List<String> rows = new ArrayList<>();
        for (Interval iv : INTERVALS) {
            if (!iv.label().contains(only)) {
                continue;
            }
            for (boolean vipkeeper : new boolean[] {true, false}) {
                try (Lab lab = Lab.create()) {
                    lab.node("lb1", 1);
                    lab.node("lb2", 2);
                    lab.node("client", 9);
                    Pair pair = new Pair(lab, dir, vipkeeper, iv, List.of());
                    List<Double> cut = new ArrayList<>();
                    List<Double> graceful = new ArrayList<>();
                    for (int t = 0; t < trials; t++) {
                        cut.add(pair.cableCutOutage());
                        graceful.add(pair.gracefulOutage());
                    }
                    rows.add(String.format(Locale.ROOT,
                            "| %-9s | %-10s | %9.2f | %9.2f | %9.1f | %9.1f | %9.1f | %7.1f | %6.1f | %8.2f | %8.2f | %6.2f | %7.2f |",
                            iv.label(), vipkeeper ? "vipkeeper" : "keepalived", median(cut), mean(cut), max(cut),
                            median(graceful), max(graceful), iv.masterDownMs(), iv.skewMs(), median(pair.takeovers),
                            median(pair.garps), median(pair.phases), median(pair.resumes)));
                    System.err.println(rows.get(rows.size() - 1));
                    for (int t = 0; t < cut.size(); t++) {
                        System.err.printf(Locale.ROOT, "  trial %d: cut %.2f = resume %.2f - phase %.2f; takeover %.2f;"
                                + " garp %.2f; TERM %.1f%n", t + 1, cut.get(t), pair.resumes.get(t), pair.phases.get(t),
                                pair.takeovers.get(t), pair.garps.get(t), graceful.get(t));
                    }
                }
            }
        }
        System.out.println();
        System.out.println("Outage seen by a client sending an ICMP echo to the VIP every 1 ms (" + trials + " trials each, ms)");
        System.out.println("| interval  | product    | cut: med  | cut: mean | cut: max  | TERM: med | TERM: max | MDI     | skew   | takeover | garp     | phase  | resume  |");
        System.out.println("|-----------|------------|-----------|-----------|-----------|-----------|-----------|---------|--------|----------|----------|--------|---------|");
        rows.forEach(System.out::println);
        System.out.println("Medians from lb1's last advert, as the client saw it: takeover = lb2's first frame (advert or"
                + " GARP: the backup's real Master_Down_Interval plus its reaction); garp = lb2's first gratuitous ARP"
                + " (what moves the client); phase = the last reply before the cut; resume = the first reply after"
                + " it (cut = resume - phase). Replies come on a 1 ms grid, so single cuts differ by whole"
                + " milliseconds; the mean over trials shows the expected outage.");
        if (!soak.isZero()) {
            Soak.run(dir, soak, agentJar(dir), load);
        }
    }

    static Duration parseDuration(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofSeconds(Long.parseLong(s));
        };
    }

    /** A jar holding {@link LoadAgent} with its Premain-Class manifest. */
    static Path agentJar(Path dir) throws IOException {
        Path jar = dir.resolve("load-agent.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(new Attributes.Name("Premain-Class"), LoadAgent.class.getName());
        String entry = LoadAgent.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
                InputStream in = LoadAgent.class.getResourceAsStream("/" + entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
        }
        return jar;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double max(List<Double> xs) {
        return Collections.max(xs);
    }

    static String vip() {
        return VIP;
    }
}
