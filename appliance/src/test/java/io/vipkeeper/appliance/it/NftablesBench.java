package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * nftables engine programming benchmark on this host, in a namespace of its own: N services x N
 * backends (wrr unless told) from an empty table through the shared reconciler, one backend's
 * weight change, and an idle reconcile (dump + plan) of the unchanged table; from empty also as
 * the CPU of the programming thread (libnftables and the kernel's batch included). Prints figures;
 * asserts nothing. Usage: NftablesBench [--services N] [--rounds R] [--scheduler rr|wrr|sh|mh]
 */
public final class NftablesBench {
    private NftablesBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100;
        int rounds = 3;
        String scheduler = "wrr";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> n = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--scheduler" -> scheduler = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String ns = "vknftbench" + Long.toHexString(ProcessHandle.current().pid());
        Lab.sh("ip", "netns", "add", ns);
        ExecutorService thread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(ns, "nft"));
        try {
            System.out.printf(Locale.ROOT, "nftables engine, %d services x %d backends (%s), %d rounds%n", n, n, scheduler, rounds);
            for (int r = 1; r <= rounds; r++) {
                round(thread, n, r, scheduler);
                Lab.sh("ip", "netns", "exec", ns, "nft", "flush", "ruleset");
            }
        } finally {
            thread.shutdownNow();
            Lab.sh("ip", "netns", "del", ns);
        }
    }

    private static void round(ExecutorService thread, int n, int round, String scheduler) throws Exception {
        Map<ServiceKey, DesiredService> want = BenchTables.grid(n, scheduler);
        TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(10));
        Callable<String> run = () -> {
            try (DataPlane engine = new NftablesDataPlane()) {
                // The thread's CPU (user + system: libnftables runs in it, and the kernel's work on the
                // batch is in its sendmsg), which the machine's load does not inflate as it does the wall.
                java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
                long c0 = cpu.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                List<TableChange> ops = reconciler.plan(want, engine.table(), Set.of(), System.nanoTime());
                List<DataPlane.Failure> failed = engine.apply(ops);
                long t1 = System.nanoTime();
                long c1 = cpu.getCurrentThreadCpuTime();
                Map<ServiceKey, ActualService> read = engine.table();
                long t2 = System.nanoTime();
                List<TableChange> idle = reconciler.plan(want, read, Set.of(), System.nanoTime());
                long t3 = System.nanoTime();
                // Idle runs: the generation has not moved since the read above, so these are cached
                // reads (one netlink round trip each) until every CACHED_READS-th, a counter refresh.
                long[] idleRuns = new long[NftablesDataPlane.CACHED_READS + 1];
                // Where a cached run's time goes: the engine's table() (generation check) and the plan.
                long[] cachedTable = new long[idleRuns.length - 1];
                for (int i = 0; i < idleRuns.length; i++) {
                    long a = System.nanoTime();
                    Map<ServiceKey, ActualService> t = engine.table();
                    long b = System.nanoTime();
                    reconciler.plan(want, t, Set.of(), System.nanoTime());
                    idleRuns[i] = System.nanoTime() - a;
                    if (i < cachedTable.length) {
                        cachedTable[i] = b - a;
                    }
                }
                long idleSum = java.util.Arrays.stream(idleRuns).sum();
                long[] cached = java.util.Arrays.copyOf(idleRuns, cachedTable.length);
                java.util.Arrays.sort(cached);
                java.util.Arrays.sort(cachedTable);
                ServiceKey first = want.keySet().iterator().next();
                BackendSpec one = want.get(first).dests().values().iterator().next();
                long t4 = System.nanoTime();
                List<DataPlane.Failure> failed2 = engine.apply(List.of(new TableChange.SetBackend(first, one.withWeight(one.weight() + 7), "bench")));
                long t5 = System.nanoTime();
                return String.format(Locale.ROOT,
                        "round %d: from empty %d changes in %.0f ms (CPU %.0f ms) (%d refused); dump %.0f ms + plan %.0f ms (%d changes left);"
                                + " idle run (generation unchanged) median %.2f ms (table() %.2f ms, the rest plan),"
                                + " the %d-th a counter refresh %.0f ms, %.1f ms per run on"
                                + " average (%.1f %% of programming); one weight change %.1f ms (%d refused)",
                        round, ops.size(), ms(t1 - t0), ms(c1 - c0), failed.size(), ms(t2 - t1), ms(t3 - t2), idle.size(),
                        ms(cached[cached.length / 2]), ms(cachedTable[cachedTable.length / 2]),
                        idleRuns.length, ms(idleRuns[idleRuns.length - 1]), ms(idleSum) / idleRuns.length,
                        100.0 * ms(idleSum) / idleRuns.length / ms(t1 - t0), ms(t5 - t4), failed2.size());
            }
        };
        System.out.println(thread.submit(run).get());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
