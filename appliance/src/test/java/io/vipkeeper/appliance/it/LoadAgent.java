package io.vipkeeper.appliance.it;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A Java agent for the VRRP soak benchmark: loaded into the vipkeeper JVM with -javaagent, it
 * allocates continuously on {@code threads} threads (short-lived arrays plus a churning set of
 * survivors), so the collector works while VRRP must keep its 10 ms rhythm. Never part of the
 * daemon itself.
 */
public final class LoadAgent {
    private LoadAgent() {
    }

    /**
     * Agent entry point; {@code args} is {@code THREADS[:MB_PER_SECOND]} (default 1 thread,
     * unthrottled); a rate paces each thread's allocation in 1 ms steps.
     */
    public static void premain(String args) {
        String[] parts = args == null || args.isBlank() ? new String[] {"1"} : args.trim().split(":");
        int threads = Integer.parseInt(parts[0]);
        long bytesPerMilli = parts.length > 1 ? Long.parseLong(parts[1]) * 1_000_000 / 1000 : 0;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> churn(bytesPerMilli), "bench-allocator-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private static void churn(long bytesPerMilli) {
        Object[] survivors = new Object[4096];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long sink = 0;
        long budget = 0;
        long next = System.nanoTime();
        while (true) {
            if (bytesPerMilli > 0 && budget <= 0) {
                next += 1_000_000;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                budget += bytesPerMilli;
            }
            byte[] b = new byte[64 + r.nextInt(4096)];
            budget -= b.length;
            sink += b.length;
            if (r.nextInt(64) == 0) {
                survivors[r.nextInt(survivors.length)] = new long[r.nextInt(512)];
            }
            if (sink < 0) {
                System.out.println(sink);
            }
        }
    }
}
