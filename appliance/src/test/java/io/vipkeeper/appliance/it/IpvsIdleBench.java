package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.ipvs.genl.IpvsClient;
import io.vipkeeper.appliance.ipvs.genl.IpvsReads;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The periodic reconcile of an unchanged IPVS table, run inside the real-IPVS VM by
 * vagrant/lab/bench-ipvs --idle: N services x N real servers programmed from empty through the
 * shared reconciler, then idle runs (the table's read and the plan) as the daemon made them before
 * (a whole read every run) and as it makes them now ({@link IpvsReads}: the services alone, the
 * last read reused, a whole read every {@link IpvsReads#CACHED_READS} + 1 runs), each against the
 * programming in the same round; then how many runs a real server's hand edit takes to be seen.
 * Prints figures; asserts nothing. Usage: IpvsIdleBench [--services N] [--rounds R]
 */
public final class IpvsIdleBench {
    private IpvsIdleBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> n = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String ns = "vkidlebench";
        Lab.sh("ip", "netns", "add", ns);
        // IPVS takes a destination only when the namespace has a local routing table (EINVAL
        // otherwise), which an address creates: lo's.
        Lab.sh("ip", "-n", ns, "link", "set", "lo", "up");
        ExecutorService thread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(ns, "ipvs"));
        try {
            System.out.printf(Locale.ROOT, "IPVS idle reconcile, %d services x %d real servers (wrr), %d rounds, kernel %s%n",
                    n, n, rounds, System.getProperty("os.version"));
            Map<ServiceKey, DesiredService> want = BenchTables.grid(n, "wrr");
            for (int r = 1; r <= rounds; r++) {
                int round = r;
                System.out.println(thread.submit(round(want, round)).get());
            }
        } finally {
            thread.shutdownNow();
            Lab.sh("ip", "netns", "del", ns);
        }
    }

    private static Callable<String> round(Map<ServiceKey, DesiredService> want, int round) {
        return () -> {
            TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(10));
            try (IpvsClient client = IpvsClient.open()) {
                client.flush();
                long t0 = System.nanoTime();
                List<TableChange> ops = reconciler.plan(want, client.table(), Set.of(), System.nanoTime());
                List<DataPlane.Failure> failed = client.apply(ops);
                double programming = ms(System.nanoTime() - t0);
                if (!failed.isEmpty()) {
                    throw new IllegalStateException(failed.size() + " change(s) refused, the first: " + failed.get(0).op() + ": "
                            + failed.get(0).error().getMessage());
                }
                // Before: every run read the table whole and planned over it.
                long[] whole = runs(reconciler, want, client, IpvsReads.CACHED_READS + 1);
                // Now: what the daemon opens (the threshold is 1000 real servers by default); its first
                // run reads whole, the next CACHED_READS reuse that read.
                IpvsReads reads = new IpvsReads(client);
                long[] now = runs(reconciler, want, reads, IpvsReads.CACHED_READS + 1);
                // A real server's weight edited by hand right after a whole read: runs until a read shows it.
                reads.readWholeNext();
                reads.table();
                ServiceKey first = want.keySet().iterator().next();
                var one = want.get(first).dests().values().iterator().next();
                client.apply(List.of(new TableChange.SetBackend(first, one.withWeight(one.weight() + 7), "by hand")));
                int seen = 1;
                while (reads.table().get(first).dests().get(one.key()).spec().weight() == one.weight()) {
                    seen++;
                }
                return String.format(Locale.ROOT, "round %d: from empty %d changes in %.0f ms (%d refused);"
                        + " idle runs before: median %.0f ms [%.0f..%.0f], %.1f %% of programming;"
                        + " now: cached run median %.1f ms, whole-read run %.0f ms, %.1f ms a run on average (%.1f %% of"
                        + " programming); a real server's hand edit seen at run %d",
                        round, ops.size(), programming, failed.size(), median(whole), min(whole), max(whole),
                        100 * avg(whole) / programming, median(Arrays.copyOfRange(now, 1, now.length)), ms(now[0]),
                        avg(now), 100 * avg(now) / programming, seen);
            }
        };
    }

    /** {@code count} idle runs as the daemon makes them: read the table, plan (nothing to do). */
    private static long[] runs(TableReconciler reconciler, Map<ServiceKey, DesiredService> want, DataPlane engine, int count) {
        long[] runs = new long[count];
        for (int i = 0; i < count; i++) {
            long a = System.nanoTime();
            Map<ServiceKey, ActualService> t = engine.table();
            List<TableChange> left = reconciler.plan(want, t, Set.of(), System.nanoTime());
            runs[i] = System.nanoTime() - a;
            if (!left.isEmpty()) {
                throw new IllegalStateException("an idle run planned " + left.size() + " change(s): " + left.get(0));
            }
        }
        return runs;
    }

    private static double median(long[] runs) {
        long[] sorted = runs.clone();
        Arrays.sort(sorted);
        return ms(sorted[sorted.length / 2]);
    }

    private static double min(long[] runs) {
        return ms(Arrays.stream(runs).min().orElse(0));
    }

    private static double max(long[] runs) {
        return ms(Arrays.stream(runs).max().orElse(0));
    }

    private static double avg(long[] runs) {
        return ms(Arrays.stream(runs).sum()) / runs.length;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
