package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mh scheduler's Maglev table on this host: for table sizes around {@link MaglevTable#SIZE}
 * and 10 and 100 backends, the fraction of slots (so of flows, the hash being uniform) that move
 * when one backend leaves and when it comes back (mean and worst over every backend), the
 * largest backend's share against the fair one, and the build time for 100 backends. Prints
 * figures; asserts nothing. Usage: MaglevBench [--sizes 251,1021,4093,8191,16381,65537]
 */
public final class MaglevBench {
    private MaglevBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = {251, 1021, 4093, MaglevTable.SIZE, 16381, 65537};
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sizes")) {
                sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "Maglev table (mh), remapped slots when 1 of N leaves / returns; target <= 1.1/N%n");
        for (int size : sizes) {
            for (int n : new int[] {10, 100}) {
                System.out.println(remapLine(size, n));
            }
        }
        List<BackendSpec> hundred = backends(100);
        for (int size : sizes) {
            for (int i = 0; i < 20; i++) {
                MaglevTable.build(hundred, size); // warm-up
            }
            int runs = 50;
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                MaglevTable.build(hundred, size);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "M=%-6d build for 100 backends: median %.3f ms, max %.3f ms, %d slot map elements%n",
                    size, nanos[runs / 2] / 1e6, nanos[runs - 1] / 1e6, runs(MaglevTable.build(hundred, size)));
        }
    }

    private static String remapLine(int size, int n) throws UnknownHostException {
        List<BackendSpec> all = backends(n);
        BackendKey[] full = MaglevTable.build(all, size);
        double leaveSum = 0;
        double leaveMax = 0;
        double returnMax = 0;
        for (BackendSpec gone : all) {
            List<BackendSpec> rest = new ArrayList<>(all);
            rest.remove(gone);
            BackendKey[] without = MaglevTable.build(rest, size);
            double leave = moved(full, without);
            leaveSum += leave;
            leaveMax = Math.max(leaveMax, leave);
            returnMax = Math.max(returnMax, moved(without, MaglevTable.build(all, size)));
        }
        Map<BackendKey, Integer> share = new HashMap<>();
        for (BackendKey b : full) {
            share.merge(b, 1, Integer::sum);
        }
        int largest = share.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return String.format(Locale.ROOT, "M=%-6d N=%-3d leave: mean %.2f %% max %.2f %% (1/N = %.2f %%, x%.2f); return: max %.2f %%;"
                        + " largest share %.2f x fair",
                size, n, 100 * leaveSum / n, 100 * leaveMax, 100.0 / n, leaveSum / n * n, 100 * returnMax,
                largest / (size / (double) n));
    }

    /** The fraction of slots whose backend differs. */
    static double moved(BackendKey[] before, BackendKey[] after) {
        int moved = 0;
        for (int i = 0; i < before.length; i++) {
            if (!before[i].equals(after[i])) {
                moved++;
            }
        }
        return moved / (double) before.length;
    }

    /** The slot map elements the table needs: one per run of equal slots. */
    static int runs(BackendKey[] table) {
        int runs = 0;
        for (int i = 0; i < table.length; i++) {
            if (i == 0 || !table[i].equals(table[i - 1])) {
                runs++;
            }
        }
        return runs;
    }

    /** {@code n} backends of weight 1 on 198.19.0.0/16, port 8080. */
    static List<BackendSpec> backends(int n) throws UnknownHostException {
        List<BackendSpec> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            BackendKey key = new BackendKey(InetAddress.getByAddress(new byte[] {(byte) 198, 19, (byte) (i >> 8), (byte) i}), 8080);
            list.add(new BackendSpec(key, Forwarding.NAT, 1, 0, 0));
        }
        return list;
    }
}
