package io.vipkeeper.appliance.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak part of {@link FailoverBench}: a vipkeeper pair (an allocating agent in each JVM) and a
 * keepalived pair at 10 ms adverts, side by side, with two CPU burners, for the given time; counts
 * state changes after both settled and samples vipkeeper's RSS.
 */
final class Soak {
    private Soak() {
    }

    static void run(Path dir, Duration length, Path agent, String load) throws Exception {
        FailoverBench.Interval iv = new FailoverBench.Interval("v3 10 ms", 3, "0.01", "10ms", 36.1, 6.1);
        List<Process> burners = new ArrayList<>();
        try (Lab vkLab = Lab.create(); Lab kaLab = Lab.create()) {
            for (Lab l : List.of(vkLab, kaLab)) {
                l.node("lb1", 1);
                l.node("lb2", 2);
            }
            Pair vk = new Pair(vkLab, dir, true, iv, List.of("-javaagent:" + agent + "=" + load));
            Pair ka = new Pair(kaLab, dir, false, iv, List.of());
            for (int i = 0; i < 2; i++) {
                burners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            Thread.sleep(2000);
            long vkBefore = vk.transitions();
            long kaBefore = ka.transitions();
            long end = System.nanoTime() + length.toNanos();
            long maxRss = 0;
            while (System.nanoTime() < end) {
                for (long pid : vk.pids()) {
                    maxRss = Math.max(maxRss, rssKb(pid));
                }
                Thread.sleep(5000);
            }
            long vkSpurious = vk.transitions() - vkBefore;
            long kaSpurious = ka.transitions() - kaBefore;
            System.out.println();
            System.out.printf(Locale.ROOT, "Soak: %d s at 10 ms adverts, 2 CPU burners, allocating load in each"
                    + " vipkeeper JVM (threads:MB/s = %s; no rate = unthrottled)%n", length.toSeconds(), load);
            System.out.println("| product    | spurious transitions | peak RSS per node |");
            System.out.println("|------------|----------------------|-------------------|");
            System.out.printf(Locale.ROOT, "| vipkeeper  | %20d | %14.1f MB |%n", vkSpurious, maxRss / 1024.0);
            System.out.printf(Locale.ROOT, "| keepalived | %20d | %17s |%n", kaSpurious, "-");
        } finally {
            burners.forEach(Process::destroyForcibly);
        }
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
