package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The IPVS fault lab in the real-IPVS VM: a load balancer namespace running {@code vipkeeper run}
 * with an ipvs section ({@link IpvsChaosConfig}), three web backends, and foreign IPVS services
 * and nftables tables made before the daemon starts. {@link #run} drives a seeded random sequence
 * of hand edits, health flaps, reloads and signals against it while sampling the kernel, and
 * reports every broken invariant with the seed, the operations and the timeline.
 */
final class IpvsChaosLab implements AutoCloseable {
    private static final String LB = "lb";
    private final Lab lab;
    private final Path dir;
    private final Path conf;
    private final IpvsChaosBackends backends;
    private final JarProcess daemon;

    /** What a run found. */
    record Result(List<IpvsChaosChecker.Violation> violations, Map<String, Integer> operations) {
    }

    private IpvsChaosLab(Lab lab, Path dir, Path conf, IpvsChaosBackends backends, JarProcess daemon) {
        this.lab = lab;
        this.dir = dir;
        this.conf = conf;
        this.backends = backends;
        this.daemon = daemon;
    }

    /** Builds the namespaces, the backends and the foreign state, and starts the daemon. */
    static IpvsChaosLab build() throws Exception {
        Lab lab = Lab.create();
        try {
            Path dir = Files.createTempDirectory("vk-ipvs-chaos");
            String ns = lab.node(LB, 1);
            IpvsChaosBackends backends = lab.own(new IpvsChaosBackends(lab, dir));
            IpvsChaosState initial = IpvsChaosState.initial();
            // Services ("-A") before real servers ("-a").
            for (String line : initial.foreignIpvs().values().stream()
                    .sorted(java.util.Comparator.comparing((String l) -> l.substring(0, 2))).toList()) {
                List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns, "ipvsadm"));
                cmd.addAll(List.of(line.split(" ")));
                Lab.sh(cmd.toArray(String[]::new));
            }
            for (Map.Entry<String, java.util.SortedSet<Integer>> t : initial.foreignNft().entrySet()) {
                Path script = dir.resolve("foreign.nft");
                Files.writeString(script, IpvsChaosState.foreignTableScript(t.getKey(), t.getValue()));
                Lab.sh("ip", "netns", "exec", ns, "nft", "-f", script.toString());
            }
            Path conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, initial.config().render());
            JarProcess daemon = lab.own(JarProcess.startIn(ns, dir, "run", "-f", conf.toString(), "--pid-file",
                    dir.resolve("run/vipkeeper.pid").toString()));
            daemon.awaitLog("change(s) at start");
            return new IpvsChaosLab(lab, dir, conf, backends, daemon);
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    /** Runs operations for {@code seconds}, then lets the last windows close, judges and reports to {@code out}. */
    Result run(long seed, long seconds, PrintStream out) throws Exception {
        out.println("IPVS fault lab: seed " + seed + " (-Dvipkeeper.chaos.seed=" + seed + " replays it), " + seconds
                + " s of operations");
        ExecutorService thread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(lab.ns(LB), "ipvs-chaos"));
        try {
            return thread.submit(() -> runInNamespace(seed, seconds, out)).get(seconds + 600, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }

    private Result runInNamespace(long seed, long seconds, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        IpvsChaosTimeline timeline = new IpvsChaosTimeline(t0, out);
        IpvsChaosWindows windows = new IpvsChaosWindows();
        IpvsChaosChecker checker = new IpvsChaosChecker(windows, timeline, daemon);
        IpvsChaosState initial = IpvsChaosState.initial();
        IpvsChaosExecutor executor = new IpvsChaosExecutor(daemon, conf, backends, checker, windows, timeline, initial);
        checker.expect(executor.expected());
        IpvsChaosPlanner planner = new IpvsChaosPlanner(seed, initial);
        Map<String, Integer> counts = new TreeMap<>();
        List<IpvsChaosChecker.Violation> violations;
        try (IpvsChaosSampler sampler = new IpvsChaosSampler(lab.ns(LB), checker, timeline, daemon)) {
            awaitProgrammed(sampler, t0);
            timeline.note(System.nanoTime(), "the kernel holds the configured table; operations start");
            checker.arm();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && !checker.stopRequested()) {
                IpvsChaosPlanner.Planned p = planner.next();
                Thread.sleep(p.pauseMillis());
                executor.perform(p);
                counts.merge(p.op().kind(), 1, Integer::sum);
            }
            timeline.note(System.nanoTime(), "operations done; the last windows close");
            settle(sampler, checker, windows);
            timeline.note(System.nanoTime(), "settled");
        }
        // No run at all leaves every window its timers alone (R = 0): nothing repaired anything.
        IpvsChaosRunClock.Runs runs = checker.runs();
        IpvsChaosWindows.Timing timing = IpvsChaosWindows.Timing.of(runs.spans().stream()
                .map(r -> new long[] {timeline.nanos(r.start()), timeline.nanos(r.end())}).toList());
        violations = checker.judge(timing);
        report(out, seed, seconds, counts, checker, runs, timing, violations, timeline);
        return new Result(violations, counts);
    }

    /** Waits (at most 2 minutes) for a sample, begun after {@code t0}, that finds the kernel as configured. */
    private static void awaitProgrammed(IpvsChaosSampler sampler, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        List<IpvsChaosExpected.Difference> diff = List.of();
        while (System.nanoTime() < deadline) {
            IpvsChaosSample s = sampler.latest();
            if (s != null && s.start() > t0 && s.status() != null) {
                diff = IpvsChaosExpected.differences(s.expected(), s.actual(), s::read);
                if (diff.isEmpty()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the daemon did not program the configured table within 2 minutes: " + diff);
    }

    /** Lets every window close (by the R known now) and two more samples be taken; at most a minute. */
    private static void settle(IpvsChaosSampler sampler, IpvsChaosChecker checker, IpvsChaosWindows windows)
            throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && !checker.stopRequested()
                && System.nanoTime() < windows.lastEnd(checker.timingNow())) {
            Thread.sleep(100);
        }
        long from = System.nanoTime();
        while (System.nanoTime() < deadline && (sampler.latest() == null || sampler.latest().start() < from)) {
            Thread.sleep(100);
        }
        long again = sampler.latest().end();
        while (System.nanoTime() < deadline && sampler.latest().start() <= again) {
            Thread.sleep(100);
        }
    }

    private void report(PrintStream out, long seed, long seconds, Map<String, Integer> counts,
            IpvsChaosChecker checker, IpvsChaosRunClock.Runs runs, IpvsChaosWindows.Timing t,
            List<IpvsChaosChecker.Violation> violations, IpvsChaosTimeline timeline) {
        out.println("IPVS fault lab, seed " + seed + ": " + counts.values().stream().mapToInt(Integer::intValue).sum()
                + " operations in " + seconds + " s " + counts + "; " + checker.sampleStats());
        out.println(runs + String.format(java.util.Locale.ROOT, " (I = %d ms, D = %d ms, checks every %d ms, timeout %d ms)",
                IpvsChaosConfig.INTERVAL_MS, IpvsChaosConfig.DRAIN_MS, IpvsChaosConfig.CHECK_INTERVAL_MS,
                IpvsChaosConfig.CHECK_TIMEOUT_MS));
        SortedMap<IpvsChaosWindows.Bound, long[]> settled = new TreeMap<>(checker.settleTimes(t));
        settled.forEach((b, m) -> out.printf(java.util.Locale.ROOT, "  %-12s longest bound %6.0f ms, longest settle"
                + " %6.0f ms over %d window(s) alone%n", b, m[2] / 1e6, m[0] / 1e6, m[1]));
        if (violations.isEmpty()) {
            out.println("no violation");
            return;
        }
        out.println(violations.size() + " VIOLATION(S); replay with -Dvipkeeper.chaos.seed=" + seed + ":");
        for (IpvsChaosChecker.Violation v : violations) {
            out.println(timeline.at(v.nanos()) + "  " + v.invariant() + " (" + v.invariant().meaning() + "): " + v.text());
        }
        long first = violations.get(0).nanos();
        timeline.report(out, first, 20_000_000_000L, 5_000_000_000L);
        out.println("the daemon's log from 20 s before the first violation to 5 s after (t = 0 is "
                + timeline.wall(timeline.startNanos()) + "):");
        logBetween(daemon.log(), timeline.wall(first - 20_000_000_000L), timeline.wall(first + 5_000_000_000L))
                .forEach(out::println);
    }

    /** The log lines stamped from {@code from} to {@code to} (the daemon writes local "yyyy-MM-dd HH:mm:ss.SSS" and the offset after it). */
    static List<String> logBetween(String log, java.time.Instant from, java.time.Instant to) {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneId.systemDefault());
        String a = f.format(from);
        String b = f.format(to);
        return log.lines().filter(l -> l.length() > 23 && l.substring(0, 23).compareTo(a) >= 0
                && l.substring(0, 23).compareTo(b) <= 0).toList();
    }

    @Override
    public void close() {
        lab.close();
    }
}
