package io.vipkeeper.appliance.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.LoggerFactory;

/**
 * vipkeeper's nftables engine side by side with nftlb 1.0.7 in one run, each in network namespaces
 * of its own making (198.18.232.0/22), on the same {@link CompareTable}: (1) programming N x N from
 * an empty table (ours through the shared reconciler, nftlb by one {@code POST /farms}, timed to
 * the answer and to its table being in place, with a cap), (2) one backend's weight change, (3)
 * new TCP connections per second and CPU per connection through a VIP ({@link DataPathLab}).
 * Prints figures with their spread over rounds; asserts nothing. Usage: NftlbCompareBench
 * [--sizes 10,20,40] [--ours-sizes 100] [--rounds 3] [--cap 120] [--paths ours:40,nftlb:40,ours:100]
 * [--seconds 5] [--connections 16] [--no-programming] [--no-data-path]
 */
public final class NftlbCompareBench {
    private static final String OURS = "vipkeeper";
    private static final String NFTLB = "nftlb";

    private final List<Integer> sizes = new ArrayList<>(List.of(10, 20, 40));
    private final List<Integer> oursOnly = new ArrayList<>(List.of(100));
    private final List<String> paths = new ArrayList<>(List.of("ours:1", "nftlb:1", "ours:40", "nftlb:40", "ours:100"));
    private int rounds = 3;
    private Duration cap = Duration.ofSeconds(120);
    private int seconds = 5;
    private int connections = 16;
    private boolean programming = true;
    private boolean dataPath = true;
    private final Spread figures = new Spread();
    private final Path dir;
    private final List<String> notes = new ArrayList<>();
    private int changesSeen;
    private int changesInPlaceAtAnswer;

    private NftlbCompareBench(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        NftlbCompareBench bench = new NftlbCompareBench(Files.createTempDirectory("nftlb-bench"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-programming" -> bench.programming = false;
                case "--no-data-path" -> bench.dataPath = false;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + args[i] + " needs a value");
                    }
                    bench.option(args[i], args[++i]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s; %s; %d rounds; nftlb capped at %d s%n", version("nft", "--version"),
                version("nftlb", "-h").lines().findFirst().orElse("nftlb ?"), bench.rounds, bench.cap.toSeconds());
        if (bench.programming) {
            bench.programming();
        }
        if (bench.programming && !bench.oursOnly.isEmpty()) {
            // The engine's own benchmark on its own table, as a cross-check of the figures above.
            int n = bench.oursOnly.get(bench.oursOnly.size() - 1);
            System.out.printf(Locale.ROOT, "Cross-check, NftablesBench --services %d --rounds 1:%n", n);
            NftablesBench.main(new String[] {"--services", Integer.toString(n), "--rounds", "1"});
            System.out.println();
        }
        if (bench.dataPath) {
            bench.dataPath();
        }
        bench.notes.forEach(n -> System.out.println("note: " + n));
    }

    private void option(String name, String value) {
        switch (name) {
            case "--sizes" -> replace(sizes, ints(value));
            case "--ours-sizes" -> replace(oursOnly, ints(value));
            case "--paths" -> replace(paths, List.of(value.split(",")));
            case "--rounds" -> rounds = Integer.parseInt(value);
            case "--cap" -> cap = Duration.ofSeconds(Long.parseLong(value));
            case "--seconds" -> seconds = Integer.parseInt(value);
            case "--connections" -> connections = Integer.parseInt(value);
            default -> throw new IllegalArgumentException("unknown option " + name);
        }
    }

    private static <T> void replace(List<T> list, List<T> values) {
        list.clear();
        list.addAll(values);
    }

    private static List<Integer> ints(String csv) {
        return csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
    }

    private static String version(String... cmd) {
        try {
            return Lab.sh(cmd).strip();
        } catch (Exception e) {
            return String.join(" ", cmd) + ": " + e.getMessage();
        }
    }

    // ---- 1 and 2: programming -------------------------------------------------------------

    private void programming() throws Exception {
        String ns = "vkcmp" + Long.toHexString(ProcessHandle.current().pid()) + "-prog";
        NamespaceThreads.removeLeftovers("vkcmp", '-');
        Lab.sh("ip", "netns", "add", ns);
        Lab.sh("ip", "-n", ns, "link", "set", "lo", "up"); // nftlb's API listens on 127.0.0.1
        Thread cleanup = new Thread(() -> deleteNamespace(ns));
        Runtime.getRuntime().addShutdownHook(cleanup);
        ExecutorService thread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(ns, "nft"));
        List<Integer> all = new ArrayList<>(sizes);
        oursOnly.stream().filter(n -> !all.contains(n)).forEach(all::add);
        try {
            ours(thread, ns, sizes.isEmpty() ? 10 : sizes.get(0), new Spread()); // JIT warm-up, not counted
            for (int r = 1; r <= rounds; r++) {
                for (int n : all) {
                    System.out.printf(Locale.ROOT, "round %d, %dx%d ...%n", r, n, n);
                    // Who goes first alternates, so a burst of load from other work hits both alike.
                    if (r % 2 == 1) {
                        ours(thread, ns, n, figures);
                    }
                    // nftlb beyond the compared sizes runs once: each try may take the whole cap.
                    if (sizes.contains(n) || r == 1) {
                        nftlb(ns, n);
                    }
                    if (r % 2 == 0) {
                        ours(thread, ns, n, figures);
                    }
                }
            }
        } finally {
            thread.shutdownNow();
            deleteNamespace(ns);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        System.out.printf(Locale.ROOT, "%nProgramming N services x N backends from empty (ms; median [min..max] xrounds)%n");
        System.out.printf(Locale.ROOT, "%-9s | %-30s | %-30s | %-30s | %-30s%n", "N x N", "vipkeeper: plan + apply",
                "nftlb: POST answered", "nftlb: table in place", "ratio nftlb/vipkeeper");
        for (int n : all) {
            boolean unfinished = figures.median(key(NFTLB, n, "unfinished")) != null;
            String never = "did not finish in " + cap.toSeconds() + " s";
            System.out.printf(Locale.ROOT, "%-9s | %-30s | %-30s | %-30s | %-30s%n", n + "x" + n, figures.show(key(OURS, n, "empty"), 1),
                    unfinished ? never : figures.show(key(NFTLB, n, "answer"), 1),
                    unfinished ? never : figures.show(key(NFTLB, n, "empty"), 1),
                    unfinished ? "> " + ratio((double) cap.toMillis(), figures.median(key(OURS, n, "empty")))
                            : ratio(figures.median(key(NFTLB, n, "empty")), figures.median(key(OURS, n, "empty"))));
        }
        System.out.printf(Locale.ROOT, "(vipkeeper's table is in place when apply returns: one libnftables transaction in this"
                + " JVM. nftlb's was complete at the first look after its answer for %d of %d changes, so its \"in place\""
                + " adds one listing of its table, not work of its own.)%n", changesInPlaceAtAnswer, changesSeen);
        System.out.printf(Locale.ROOT, "%nOne backend's weight change at N x N (ms)%n");
        System.out.printf(Locale.ROOT, "%-9s | %-30s | %-30s | %-30s%n", "N x N", "vipkeeper: one SetBackend",
                "nftlb: PUT answered", "nftlb: in place");
        for (int n : all) {
            System.out.printf(Locale.ROOT, "%-9s | %-30s | %-30s | %-30s%n", n + "x" + n, figures.show(key(OURS, n, "weight"), 2),
                    figures.show(key(NFTLB, n, "weight-answer"), 2), figures.show(key(NFTLB, n, "weight"), 2));
        }
        System.out.println();
    }

    private static String ratio(Double x, Double y) {
        return x == null || y == null ? "-" : String.format(Locale.ROOT, "%.1f", x / y);
    }

    private static String key(String tool, int n, String what) {
        return tool + "/" + n + "/" + what;
    }

    /** Our engine, fresh on an empty namespace: the daemon's path (plan, then one apply), then one weight change. */
    private static void ours(ExecutorService thread, String ns, int n, Spread figures) throws Exception {
        Map<ServiceKey, DesiredService> want = CompareTable.desired(n);
        Callable<Void> run = () -> {
            try (DataPlane engine = new NftablesDataPlane()) {
                long t0 = System.nanoTime();
                program(engine, want);
                long t1 = System.nanoTime();
                // As in the daemon, whose run after a change reads the table back whole before any
                // weight order: timed straight after programming, the change missed what that read
                // leaves behind (libnftables' cache, 75-110 ms at 100 x 100 before NftContext read in
                // a context of its own), and this bench said 9 ms where the daemon took 90.
                engine.table();
                long w0 = System.nanoTime();
                BackendSpec one = CompareTable.backendSpec(n - 1, 0, changedWeight());
                List<DataPlane.Failure> failed = engine.apply(List.of(new TableChange.SetBackend(CompareTable.service(n - 1), one, "bench")));
                long t2 = System.nanoTime();
                if (!failed.isEmpty()) {
                    throw new IllegalStateException("the engine refused " + failed);
                }
                figures.add(key(OURS, n, "empty"), (t1 - t0) / 1e6);
                figures.add(key(OURS, n, "weight"), (t2 - w0) / 1e6);
            }
            return null;
        };
        try {
            thread.submit(run).get();
        } finally {
            Lab.sh("ip", "netns", "exec", ns, "nft", "flush", "ruleset");
        }
    }

    /** The daemon's path: plan against what the engine reads back, then one apply; a refusal is an error. */
    private static void program(DataPlane engine, Map<ServiceKey, DesiredService> want) {
        List<DataPlane.Failure> failed = engine.apply(new TableReconciler(Duration.ofSeconds(10)).plan(want, engine.table(), Set.of(),
                System.nanoTime()));
        if (!failed.isEmpty()) {
            throw new IllegalStateException("the engine refused " + failed);
        }
    }

    private static int changedWeight() {
        return CompareTable.weight(0) + 7;
    }

    /** nftlb, started fresh on an empty namespace: one POST of the whole table, then one backend's weight. */
    private void nftlb(String ns, int n) throws Exception {
        Path log = dir.resolve("nftlb-" + n + ".log");
        try (Nftlb nftlb = Nftlb.start(ns, log)) {
            Nftlb.Answer a = nftlb.post(CompareTable.nftlbFarms(n), cap);
            if (!a.finished()) {
                notes.add(String.format(Locale.ROOT, "nftlb at %dx%d did not answer in %d s and was killed", n, n, cap.toSeconds()));
                figures.add(key(NFTLB, n, "unfinished"), cap.toSeconds());
                return;
            }
            long t0 = System.nanoTime() - a.nanos();
            if (a.status() != 200) {
                throw new IllegalStateException("nftlb answered " + a.status() + ": " + a.body() + " (log " + log + ")");
            }
            String last = "nat-" + CompareTable.farm(n - 1);
            // In place: every service in nftlb's lookup map, and the last one's chain with all its backends.
            Nftlb.Seen inPlace = nftlb.awaitInPlace(nft -> Nftlb.count(Nftlb.list(nft, "map", "nat-proto-services"), "goto nat-") == n
                    && Nftlb.count(Nftlb.list(nft, "chain", last), CompareTable.BACKEND_NET + ".") == n, cap);
            figures.add(key(NFTLB, n, "answer"), a.nanos() / 1e6);
            if (inPlace == null) {
                notes.add(String.format(Locale.ROOT, "nftlb at %dx%d answered but its table was not complete within the cap", n, n));
                return;
            }
            looked(inPlace);
            figures.add(key(NFTLB, n, "empty"), (inPlace.nanoTime() - t0) / 1e6);
            int weight = changedWeight();
            Nftlb.Answer w = nftlb.put(CompareTable.nftlbWeight(n - 1, 0, weight), cap);
            long w0 = System.nanoTime() - w.nanos();
            if (w.status() != 200) {
                throw new IllegalStateException("nftlb answered " + w.status() + " to a weight change: " + w.body());
            }
            String modulus = "mod " + CompareTable.weightSum(n, weight) + " ";
            String chain = "filter-" + CompareTable.farm(n - 1);
            Nftlb.Seen wIn = nftlb.awaitInPlace(nft -> Nftlb.list(nft, "chain", chain).contains(modulus), cap);
            figures.add(key(NFTLB, n, "weight-answer"), w.nanos() / 1e6);
            if (wIn != null) {
                looked(wIn);
                figures.add(key(NFTLB, n, "weight"), (wIn.nanoTime() - w0) / 1e6);
            }
        } finally {
            Lab.sh("ip", "netns", "exec", ns, "nft", "flush", "ruleset");
        }
    }

    // ---- 3: data path ----------------------------------------------------------------------

    /**
     * For each round and each "tool:N" of {@code paths}: the balancer programmed with N x N, wrk to
     * the last service's VIP (1 s warm-up, then {@code seconds}), the balancer emptied again.
     */
    private void dataPath() throws Exception {
        List<String[]> runs = paths.stream().map(p -> p.split(":")).toList();
        int[] ports = runs.stream().mapToInt(p -> CompareTable.backendPort(Integer.parseInt(p[1]) - 1)).distinct().toArray();
        DataPathLab lab = DataPathLab.create(dir, ports);
        Thread cleanup = new Thread(lab::close);
        Runtime.getRuntime().addShutdownHook(cleanup);
        ExecutorService lbThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(lab.ns("lb"), "nft-lb"));
        try {
            for (int r = 1; r <= rounds; r++) {
                List<String[]> order = new ArrayList<>(runs);
                if (r % 2 == 0) {
                    Collections.reverse(order); // alternate, as above
                }
                for (String[] p : order) {
                    String tool = p[0].equals("ours") ? OURS : NFTLB;
                    int n = Integer.parseInt(p[1]);
                    System.out.printf(Locale.ROOT, "round %d, data path %s %dx%d ...%n", r, tool, n, n);
                    try (AutoCloseable programmed = tool.equals(OURS) ? programOurs(lbThread, n) : programNftlb(lab, n)) {
                        Lab.await(20, tool + " balancing " + CompareTable.vip(n - 1), () -> answers(lab, n - 1));
                        lab.run(n - 1, 1, connections);
                        Thread.sleep(1500); // the warm-up's conntrack entries expire (TIME_WAIT 1 s in the lab)
                        DataPathLab.Run run = lab.run(n - 1, seconds, connections);
                        figures.add(key(tool, n, "cps"), run.perSecond());
                        figures.add(key(tool, n, "cpu"), run.cpuMicrosPerConnection());
                        figures.add(key(tool, n, "failed"), run.failed());
                    } finally {
                        Lab.sh("ip", "netns", "exec", lab.ns("lb"), "nft", "flush", "ruleset");
                        Thread.sleep(1500);
                    }
                }
            }
        } finally {
            lbThread.shutdownNow();
            lab.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        System.out.printf(Locale.ROOT, "%nData path: new TCP connections (one HTTP request each) to the last service's VIP,"
                + " wrk -c%d for %d s; CPU = wrk + backend responder + ksoftirqd per connection%n", connections, seconds);
        System.out.printf(Locale.ROOT, "%-10s %-7s | %-32s | %-32s | %s%n", "engine", "N x N", "connections/s", "CPU us/connection",
                "failed");
        for (String[] p : runs) {
            String tool = p[0].equals("ours") ? OURS : NFTLB;
            int n = Integer.parseInt(p[1]);
            System.out.printf(Locale.ROOT, "%-10s %-7s | %-32s | %-32s | %s%n", tool, n + "x" + n, figures.show(key(tool, n, "cps"), 0),
                    figures.show(key(tool, n, "cpu"), 1), figures.show(key(tool, n, "failed"), 0));
        }
    }

    private static boolean answers(DataPathLab lab, int s) {
        try {
            return lab.answers(s);
        } catch (Exception e) {
            return false;
        }
    }

    /** Our engine on the balancer with N x N; closing closes it (the table stays until the flush). */
    private static AutoCloseable programOurs(ExecutorService lbThread, int n) throws Exception {
        Map<ServiceKey, DesiredService> want = CompareTable.desired(n);
        DataPlane engine = lbThread.submit(() -> {
            DataPlane e = new NftablesDataPlane();
            try {
                program(e, want);
            } catch (RuntimeException refused) {
                e.close();
                throw refused;
            }
            return e;
        }).get();
        return () -> lbThread.submit(() -> {
            engine.close();
            return null;
        }).get();
    }

    /** nftlb on the balancer with N x N, its table in place; closing kills it. */
    private AutoCloseable programNftlb(DataPathLab lab, int n) throws Exception {
        Nftlb nftlb = Nftlb.start(lab.ns("lb"), dir.resolve("nftlb-datapath-" + n + ".log"));
        try {
            Nftlb.Answer a = nftlb.post(CompareTable.nftlbFarms(n), cap);
            if (a.status() != 200) {
                throw new IllegalStateException("nftlb: " + a.status() + " " + a.body());
            }
            return nftlb;
        } catch (Exception | Error e) {
            nftlb.close();
            throw e;
        }
    }

    /** Counts whether nftlb's change was already in place at the first look after its answer. */
    private void looked(Nftlb.Seen seen) {
        changesSeen++;
        if (seen.looks() == 1) {
            changesInPlaceAtAnswer++;
        }
    }

    private static void deleteNamespace(String ns) {
        try {
            Lab.sh("ip", "netns", "del", ns);
        } catch (Exception gone) {
            // deleted already
        }
    }
}
