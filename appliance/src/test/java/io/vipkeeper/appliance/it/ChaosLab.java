package io.vipkeeper.appliance.it;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The fault lab ({@code vagrant/lab/chaos}): a VRRP pair (vipkeeper + vipkeeper, or vipkeeper +
 * keepalived 2.2.7 as lb2) with a client and a stranger on one bridge in network namespaces
 * (198.18.15.0/24), driven through a random sequence of operations drawn from
 * {@code java.util.Random(seed)} ({@link ChaosPlanner}) while {@link ChaosSampler} samples the lab
 * five times per advert interval and {@link ChaosChecker} checks the invariants
 * ({@link ChaosInvariant}) at every sample. The first violation ends the run: it prints the seed,
 * the operations that led to it and the timeline around it, and the exit status is 1.
 *
 * <p>Windows: what each operation may legitimately break, and for how long. I is the advert
 * interval; MDI(p) = 3 I + (256 - p) I / 256 (Master_Down_Interval of a backup of priority p,
 * RFC 9568 §6.1); "takeover" suspends NO_TRANSITION, ONE_HOLDER, REACH and ELECTED. The anchor is
 * when the lab saw the event (reload result in /status or keepalived's log, the restarted
 * daemon's first state, link up, heal); every other invariant holds throughout.
 * <pre>
 * operation                                  suspends                     until
 * reload: garp, notify-script, extra VIP,    nothing (CONFIG of the node  -
 *   track-interface, priority keeping the    until its reload result)
 *   order, on one node or both
 * reload: priority that reverses the order   takeover, vi_1               result + max(MDI(new master's old
 *                                                                           and new priority)) + I
 * reload: authentication on one node, then   takeover, vi_1               second result + split end (the
 *   the other after up to 2 s (the pair                                     pair is split while they differ)
 *   splits while they differ); with the
 *   keepalived peer also an extra VIP (it
 *   drops adverts whose VIP list differs)
 * add or remove vi_2 on both nodes           NO_TRANSITION, ONE_HOLDER,   second result + MDI(lower vi_2
 *                                              ELECTED, for vi_2 only       priority) + I
 * reload with an empty, half-written or      nothing: it must be refused  -
 *   invalid file
 * SIGHUP storm, SIGUSR1, SIGUSR2             nothing                      -
 * SIGKILL or SIGTERM, start after 0-3 s      takeover; ALIVE, CONFIG,     max(start + MDI(node),
 *                                              MASTER_HOLDS, HEALTHZ of     stop + MDI(peer)) + I
 *                                              the node until it runs
 * link down or cable pulled for 0-3 s        takeover                     max(usable + MDI(node),
 *                                                                           down + MDI(peer)) + I
 * partition (nft drops VRRP both ways)       takeover                     heal + split end
 * VRRP loss 5-60 % for 1-8 s (background)    takeover                     end + split end
 * CPU burners at nice 0 (background)         nothing (daemons at -10)     -
 * forged priority-254 adverts (background)   nothing                      -
 * ip addr del of a VIP on its master         nothing (MASTER_HOLDS        -
 *                                              allows one I)
 * (not an operation) the lab's own sampling  takeover                     stall end + split end
 *   stalled longer than I: the machine
 *   starved it, and the daemons with it
 * </pre>
 * MDI(node) is the longest MDI of the node's instances. "Usable" is when, after the link came back,
 * the node reports no instance in FAULT (it noticed the link) and neither node has an INCOMPLETE
 * neighbour entry for the other: a node whose carrier went away, or whose peer's did, may hold
 * one, and its unicast adverts wait in the ARP queue until the kernel's next retransmission
 * (retrans_time_ms, 1 s, up to three probes; measured: 520 ms for the first packet after a cable
 * returned, 1.6 s once under load), so VRRP cannot cross yet. "+ I" is the one advert interval
 * the invariants also give a master to hold or release its VIPs (the old master steps down on the
 * new one's first advert). "Split end" = MDI(the higher master's priority) + 2 I: once they hear
 * each other the lower master steps down at the higher one's next advert (I) and the higher
 * announces the VIP again, at once or, if it had heard the lower during the split already, one
 * MDI after the lower's last advert, so that the clients the lower master drew to itself come
 * back; if it heard nothing of the lower (the split ended one way, or the lower is keepalived, which
 * sends no last advert), at its next GARP refresh: the lab sets garp.master-refresh = 1s on both
 * nodes (without it seeds 101, 208 and 303 left the client unanswered until its ARP entry expired),
 * so a split ends within the longer of MDI and that second, + 2 I.
 */
public final class ChaosLab {
    private static final String SUBNET = ChaosConfig.SUBNET;
    /** How long the pair runs after its first election before the checks start. */
    private static final long WARM_UP_MILLIS = 5000;

    /**
     * What to run.
     *
     * @param seed the seed of the operation sequence
     * @param duration how long to run operations
     * @param keepalivedPeer lb2 is keepalived
     * @param intervalMs the advert interval (100 ms and up)
     * @param skip operation kinds left out
     */
    record Options(long seed, Duration duration, boolean keepalivedPeer, int intervalMs, Set<String> skip) {
        /** The command line that replays this run. */
        String command() {
            return "vagrant/lab/chaos --seed " + seed + " --duration " + duration.toSeconds() + "s --interval "
                    + intervalMs + "ms" + (keepalivedPeer ? " --peer keepalived" : "")
                    + (skip.isEmpty() ? "" : " --skip " + String.join(",", skip));
        }
    }

    /**
     * How a run went.
     *
     * @param violations the violations, first first
     * @param operations operations performed
     * @param seconds how long operations ran
     */
    record Result(java.util.List<String> violations, int operations, double seconds) {
    }

    private ChaosLab() {
    }

    public static void main(String[] args) throws Exception {
        // The lab shares the daemon's jar and so its logging; only problems belong on its output.
        io.vipkeeper.appliance.logging.Logging.configure(io.vipkeeper.appliance.config.LogLevel.WARN, 0);
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            System.err.println("usage: vagrant/lab/chaos [--seed N] [--duration 5m] [--peer vipkeeper|keepalived]"
                    + " [--interval 100ms] [--skip KIND,...]\n  kinds: " + String.join(", ", ChaosPlanner.kindNames()));
            System.exit(2);
            return;
        }
        Result r = run(o, System.out);
        System.exit(r.violations().isEmpty() ? 0 : 1);
    }

    static Options parse(String[] args) {
        long seed = new SecureRandom().nextLong() & 0xffff_ffffL;
        Duration duration = Duration.ofMinutes(5);
        boolean keepalived = false;
        int interval = 100;
        Set<String> skip = new TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(need(value, "--seed"));
                case "--duration" -> duration = FailoverBench.parseDuration(need(value, "--duration"));
                case "--peer" -> {
                    keepalived = switch (need(value, "--peer")) {
                        case "keepalived" -> true;
                        case "vipkeeper" -> false;
                        default -> throw new IllegalArgumentException("--peer is vipkeeper or keepalived");
                    };
                }
                case "--interval" -> interval = (int) FailoverBench.parseDuration(need(value, "--interval")).toMillis();
                case "--skip" -> skip.addAll(Arrays.asList(need(value, "--skip").split(",")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (interval < 100 || interval % 10 != 0) {
            throw new IllegalArgumentException("--interval must be 100ms or more, in steps of 10ms (VRRPv3 centiseconds)");
        }
        if (!ChaosPlanner.kindNames().containsAll(skip)) {
            throw new IllegalArgumentException("--skip takes " + ChaosPlanner.kindNames());
        }
        return new Options(seed, duration, keepalived, interval, skip);
    }

    private static String need(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** Runs the lab; prints progress and the report to {@code out}. */
    static Result run(Options o, PrintStream out) throws Exception {
        out.println("chaos: seed " + o.seed() + " (replay: " + o.command() + ")");
        Path dir = Files.createTempDirectory("vipkeeper-chaos");
        ChaosWindows.Timers timers = new ChaosWindows.Timers(o.intervalMs() * 1_000_000L);
        Lab lab = Lab.create(SUBNET);
        Thread cleanup = new Thread(lab::close, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C: kill what the lab started, delete its namespaces
        ChaosNodes nodes = null;
        ChaosSampler sampler = null;
        VipProbe probe = null;
        ChaosTimeline timeline = null;
        ChaosChecker checker = null;
        ChaosExecutor executor = null;
        Map<String, Integer> counts = new LinkedHashMap<>();
        int operations = 0;
        long opsStart = 0;
        long opsEnd = 0;
        String failure = null;
        Result result;
        try {
            nodes = ChaosNodes.create(lab, dir, o.keepalivedPeer(), o.intervalMs());
            out.println("chaos: lb1 vipkeeper, lb2 " + (o.keepalivedPeer() ? "keepalived" : "vipkeeper") + ", adverts every "
                    + o.intervalMs() + " ms, " + SUBNET + ".0/24; logs in " + dir);
            nodes.start(nodes.node("lb2"));
            nodes.start(nodes.node("lb1"));
            long start = System.nanoTime();
            timeline = new ChaosTimeline(start, out);
            ChaosWindows windows = new ChaosWindows();
            checker = new ChaosChecker(nodes, windows, timeline, timers);
            probe = new VipProbe(lab.ns("client"), ChaosConfig.VIP);
            sampler = new ChaosSampler(nodes, checker, probe, timers.interval() / 5, lab.ns("client"));
            awaitFirstMaster(sampler, probe, nodes);
            // Three JVMs compiling at once on a busy machine missed adverts in their first seconds
            // (seeds 404, 405); a daemon restarted later warms up alone, inside its window.
            Thread.sleep(WARM_UP_MILLIS);
            awaitFirstMaster(sampler, probe, nodes);
            checker.arm();
            sampler.restartStats();
            timeline.op(System.nanoTime(), "lb1 is MASTER and the client reaches " + ChaosConfig.VIP + ": checking from now");
            executor = new ChaosExecutor(lab, nodes, windows, timeline, checker, sampler, timers);
            ChaosPlanner planner = new ChaosPlanner(o.seed(), o.keepalivedPeer(), o.skip());
            opsStart = System.nanoTime();
            long end = opsStart + o.duration().toNanos();
            try {
                while (System.nanoTime() < end && checker.firstViolation() == Long.MAX_VALUE) {
                    ChaosPlanner.Planned p = planner.next();
                    executor.run(p);
                    operations++;
                    counts.merge(p.op().kind(), 1, Integer::sum);
                }
                opsEnd = System.nanoTime();
                executor.endBackground(true);
                executor.awaitQuiet();
                Thread.sleep(3 * o.intervalMs()); // a few samples after the last window closed
            } catch (ChaosWaits.Aborted e) {
                opsEnd = System.nanoTime();
            }
            if (checker.firstViolation() != Long.MAX_VALUE) {
                Thread.sleep(2000); // what happened next belongs in the report
            }
        } catch (Exception e) {
            failure = e.toString();
            throw e;
        } finally {
            if (executor != null) {
                try {
                    executor.endBackground(true);
                } catch (Exception e) {
                    out.println("chaos: ending background operations: " + e);
                }
            }
            if (sampler != null) {
                sampler.close();
            }
            if (probe != null) {
                probe.close();
            }
            if (nodes != null) {
                nodes.close();
            }
            java.util.List<String> violations = timeline == null ? java.util.List.of()
                    : timeline.violations().stream().map(ChaosTimeline.Entry::text).toList();
            if (!violations.isEmpty()) {
                out.println();
                out.println("chaos: VIOLATION with seed " + o.seed() + ": " + violations.get(0));
                out.println("chaos: replay: " + o.command());
                timeline.report(out, 10_000_000_000L);
                for (ChaosNodes.Node n : nodes.all()) {
                    out.println("--- " + n.name + " log, last lines:");
                    out.println(nodes.logTail(n, 40));
                }
                out.println("chaos: VIOLATION with seed " + o.seed() + " (replay: " + o.command() + "); logs in " + dir);
            }
            if (sampler != null) {
                out.println("chaos: " + sampler.stats() + "; " + checker.stalls() + " machine stall(s) opened a window");
            }
            double seconds = (opsEnd - opsStart) / 1e9;
            out.println(String.format(Locale.ROOT, "chaos: seed %d, %d operations in %.0f s (%s), %d violation(s)%s",
                    o.seed(), operations, Math.max(0, seconds), counts.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                    violations.size(), failure == null ? "" : "; the lab failed: " + failure));
            lab.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            result = new Result(violations, operations, seconds);
        }
        return result;
    }

    /** Waits until lb1 holds the VIP alone and the client's echo requests are answered. */
    private static void awaitFirstMaster(ChaosSampler sampler, VipProbe probe, ChaosNodes nodes) throws Exception {
        Lab.await(60, "lb1 is MASTER with the VIP, lb2 BACKUP, the client reaches the VIP (see the logs)", () -> {
                    NodeView a = sampler.latest("lb1");
                    NodeView b = sampler.latest("lb2");
                    return a != null && b != null && a.held().contains(ChaosConfig.VIP) && !b.held().contains(ChaosConfig.VIP)
                            && a.instances().containsKey(ChaosConfig.VI_1) && b.instances().containsKey(ChaosConfig.VI_1)
                            && a.instances().get(ChaosConfig.VI_1).state().equals("MASTER")
                            && b.instances().get(ChaosConfig.VI_1).state().equals("BACKUP")
                            && probe.replies() > 100 && probe.unansweredNanos(50_000_000) == 0;
                });
    }
}
