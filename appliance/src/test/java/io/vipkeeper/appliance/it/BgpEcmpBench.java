package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 19's benchmark on the nftables engine in {@link BgpLab} (three directors, d1 and d2 with
 * BFD at 300 ms x 3, d3 without, BGP timers 1 3): for each way of losing a director (vipkeeper
 * SIGKILLed while FRR lives; the whole director cut off the network, with and without BFD) the
 * time to the router's withdrawal and to the client's traffic resuming (a new connection with a
 * one-line echo every 10 ms); the fraction of long-lived connections that keep their backend
 * through a director's loss and through its return; each director's share of new connections
 * (SYNs counted at each director's ingress). Prints figures; asserts nothing. Run it with
 * {@code vagrant/lab/bench-ecmp [--connections 1000] [--trials 3]}.
 */
public final class BgpEcmpBench {
    private static final String SUBNET = "198.19.50";
    private static final String VIP = "198.19.53.100";
    private static final int PROBE_TIMEOUT_MS = 200;

    private final BgpLab lab;
    private final Path dir;
    private final Map<Integer, JarProcess> daemons = new HashMap<>();

    private BgpEcmpBench(BgpLab lab, Path dir) {
        this.lab = lab;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int connections = 1000;
        int trials = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: [--connections 1000] [--trials 3]");
            }
        }
        Path dir = Files.createTempDirectory("vipkeeper-bench-ecmp");
        try (BgpLab lab = BgpLab.create(dir, SUBNET, VIP, 3, List.of(1, 2), 3)) {
            BgpEcmpBench bench = new BgpEcmpBench(lab, dir);
            for (int d = 1; d <= 3; d++) {
                bench.start(d);
                // New connections only: SYN without ACK, at the director's ingress.
                Lab.sh("ip", "netns", "exec", lab.lab().ns("d" + d), "nft", "add rule netdev seen in ip daddr " + VIP
                        + " tcp flags & (syn | ack) == syn counter");
            }
            bench.awaitHops(3, 120);
            bench.run(connections, trials);
        } finally {
            Lab.sh("rm", "-rf", dir.toString());
        }
    }

    private void start(int d) throws Exception {
        Path conf = dir.resolve("d" + d + ".conf");
        Files.writeString(conf, BgpEcmpIT.config(d, 2, true).replace(BgpEcmpIT.SUBNET + ".", SUBNET + ".")
                .replace(BgpEcmpIT.VIP, VIP));
        daemons.put(d, lab.lab().own(JarProcess.startIn(lab.lab().ns("d" + d), dir, "run", "-f", conf.toString(),
                "--run-dir", dir.resolve("run-d" + d).toString())));
    }

    private String hop(int d) {
        return SUBNET + ".2" + d;
    }

    /** Milliseconds until the router has {@code n} nexthops for the VIP. */
    private long awaitHops(int n, double seconds) throws Exception {
        long t0 = System.nanoTime();
        while (lab.nexthops().size() != n) {
            if (System.nanoTime() - t0 > seconds * 1e9) {
                throw new IllegalStateException("the router has " + lab.nexthops() + ", not " + n + " nexthops after " + seconds + " s");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private void run(int connections, int trials) throws Exception {
        System.out.printf(Locale.ROOT, "BGP ECMP on nftables dr, 3 directors, FRR %s, %d CPUs; %d trials%n",
                Lab.sh("sh", "-c", "dpkg-query -W -f='${Version}' frr").strip(), Runtime.getRuntime().availableProcessors(), trials);
        Map<String, List<long[]>> rows = new TreeMap<>();
        for (int t = 0; t < trials; t++) {
            // The control: the same probing while nothing fails, what the busy host alone costs.
            rows.computeIfAbsent("0 nothing fails (control)", k -> new ArrayList<>()).add(failure(0, false));
            rows.computeIfAbsent("a vipkeeper SIGKILL (FRR lives)", k -> new ArrayList<>()).add(failure(2, false));
            rows.computeIfAbsent("b whole director cut, BFD 300ms x3", k -> new ArrayList<>()).add(failure(1, true));
            rows.computeIfAbsent("c whole director cut, no BFD (hold 3s)", k -> new ArrayList<>()).add(failure(3, true));
        }
        System.out.println();
        System.out.println("failure                                   withdrawal ms (each)      traffic resumed ms (each)  failed probes");
        rows.forEach((name, r) -> System.out.printf(Locale.ROOT, "%-40s  %-24s  %-24s  %s%n", name.substring(2),
                column(r, 0), column(r, 1), column(r, 2)));
        survival(connections);
    }

    private static String column(List<long[]> rows, int i) {
        List<String> s = new ArrayList<>();
        rows.forEach(r -> s.add(r[i] < 0 ? "-" : Long.toString(r[i])));
        return String.join(" ", s);
    }

    /**
     * Director {@code d} fails (whole: cut off the bridge; else its vipkeeper SIGKILLed; 0: none)
     * while a client probes; returns {withdrawal ms (-1: none), traffic resumed ms (-1: never
     * interrupted), failed probes}; then the director comes back and all three are announced again.
     */
    private long[] failure(int d, boolean whole) throws Exception {
        try (Prober prober = new Prober(lab.lab().ns("client"))) {
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            if (d == 0) {
                Thread.sleep(3000);
                return new long[] {-1, prober.lastFailureEndMs(t0), prober.failuresSince(t0)};
            }
            if (whole) {
                lab.lab().partition("d" + d, true);
            } else {
                daemons.get(d).signal("KILL");
            }
            long withdrawn = awaitHops(2, 20);
            Thread.sleep(2000);
            long resumed = prober.lastFailureEndMs(t0);
            long failed = prober.failuresSince(t0);
            if (whole) {
                lab.lab().partition("d" + d, false);
            } else {
                daemons.get(d).waitFor();
                start(d);
            }
            awaitHops(3, 120);
            return new long[] {withdrawn, resumed, failed};
        }
    }

    /** The long-lived connections through one director's loss (link cut) and its return. */
    private void survival(int connections) throws Exception {
        Map<String, Long> synBefore = syns();
        try (LongLivedFlows flows = new LongLivedFlows(lab.lab().ns("client"))) {
            long t0 = System.nanoTime();
            flows.open(VIP, BgpLab.ECHO_PORT, connections);
            Map<String, Long> synAfter = syns();
            Map<Integer, String> owners = flows.answers();
            System.out.printf(Locale.ROOT, "%n%d long-lived connections opened in %d ms, %d answer; new connections by director: %s%n",
                    connections, (System.nanoTime() - t0) / 1_000_000, owners.size(), shares(synBefore, synAfter));
            Map<String, Integer> byBackend = new TreeMap<>();
            owners.values().forEach(b -> byBackend.merge(b, 1, Integer::sum));
            System.out.println("connections by backend: " + byBackend);
            lab.lab().partition("d1", true);
            System.out.println("d1 cut off (BFD): withdrawn after " + awaitHops(2, 20) + " ms");
            report("d1's loss", owners, flows.answers());
            lab.lab().partition("d1", false);
            System.out.println("d1 back: announced again after " + awaitHops(3, 120) + " ms");
            Thread.sleep(1000);
            report("d1's return", owners, flows.answers());
        }
    }

    private static void report(String what, Map<Integer, String> owners, Map<Integer, String> now) {
        long same = owners.entrySet().stream().filter(e -> e.getValue().equals(now.get(e.getKey()))).count();
        System.out.printf(Locale.ROOT, "through %s: %d of %d connections answer from the same backend (%.1f %%), %d moved, %d broken%n",
                what, same, owners.size(), 100.0 * same / Math.max(1, owners.size()),
                now.size() - same, owners.size() - now.size());
    }

    private static String shares(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        Map<String, Long> delta = new TreeMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            delta.put(e.getKey(), n);
            total += n;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : delta.entrySet()) {
            parts.add(String.format(Locale.ROOT, "%s %d (%.1f %%)", e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, total)));
        }
        return String.join(", ", parts);
    }

    /** SYNs for the VIP each director received so far (the bench's second counter in {@code netdev seen}). */
    private Map<String, Long> syns() throws Exception {
        Map<String, Long> seen = new TreeMap<>();
        for (int d = 1; d <= 3; d++) {
            Matcher m = Pattern.compile("tcp flags[^\\n]*counter packets (\\d+)").matcher(Lab.sh("ip", "netns", "exec",
                    lab.lab().ns("d" + d), "nft", "list chain netdev seen in"));
            seen.put("d" + d, m.find() ? Long.parseLong(m.group(1)) : -1);
        }
        return seen;
    }

    /**
     * A client in a namespace starting a probe every 10 ms: a new connection to the echo port, one
     * line, its echo, each within {@value #PROBE_TIMEOUT_MS} ms. Each probe's start and end are kept.
     */
    private static final class Prober implements AutoCloseable {
        private final ScheduledExecutorService clock;
        private final ExecutorService probes;
        private final ConcurrentLinkedQueue<long[]> failures = new ConcurrentLinkedQueue<>();

        Prober(String ns) {
            clock = Executors.newSingleThreadScheduledExecutor();
            probes = Executors.newFixedThreadPool(32, NamespaceThreads.factory(ns, "probe"));
            clock.scheduleAtFixedRate(() -> probes.execute(this::probe), 0, 10, TimeUnit.MILLISECONDS);
        }

        private void probe() {
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(VIP, BgpLab.ECHO_PORT), PROBE_TIMEOUT_MS);
                s.setSoTimeout(PROBE_TIMEOUT_MS);
                s.getOutputStream().write("probe\n".getBytes(StandardCharsets.US_ASCII));
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (line == null || !line.endsWith(" probe")) {
                    throw new IllegalStateException("answered " + line);
                }
            } catch (Exception e) {
                failures.add(new long[] {start, System.nanoTime()});
            }
        }

        /** Milliseconds from {@code t0} to the start of the first probe after the last failed one, -1 if none failed. */
        long lastFailureEndMs(long t0) {
            List<long[]> since = new ArrayList<>(failures.stream().filter(f -> f[0] >= t0 - PROBE_TIMEOUT_MS * 1_000_000L).toList());
            if (since.isEmpty()) {
                return -1;
            }
            Collections.sort(since, (a, b) -> Long.compare(a[0], b[0]));
            return (since.get(since.size() - 1)[0] + 10_000_000L - t0) / 1_000_000;
        }

        long failuresSince(long t0) {
            return failures.stream().filter(f -> f[0] >= t0 - PROBE_TIMEOUT_MS * 1_000_000L).count();
        }

        @Override
        public void close() throws InterruptedException {
            clock.shutdownNow();
            probes.shutdownNow();
            probes.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
