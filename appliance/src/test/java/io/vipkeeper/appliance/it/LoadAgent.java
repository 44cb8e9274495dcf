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

    /** Agent entry point; {@code args} is the number of threads (default 1). */
    public static void premain(String args) {
        int threads = args == null || args.isBlank() ? 1 : Integer.parseInt(args.trim());
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(LoadAgent::churn, "bench-allocator-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private static void churn() {
        Object[] survivors = new Object[4096];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long sink = 0;
        while (true) {
            byte[] b = new byte[64 + r.nextInt(4096)];
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
