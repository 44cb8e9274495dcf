package io.vipkeeper.appliance.health;

import ch.qos.logback.classic.Level;
import io.vipkeeper.appliance.dataplane.BackendKey;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Health-check benchmark, run by vagrant/lab/bench-health as root: N tcp real servers (default
 * 5,000 = 50 addresses x 100 ports, served by one backend process) checked every second by a
 * HealthMonitor on two epoll loops inside a namespace. After a warm-up it measures the CPU of this
 * JVM (process CPU time over wall time, in cores) and the check latency (each server's last
 * latency, sampled once per second, so about every check). Prints a table; asserts nothing.
 * Usage: HealthBench [--addresses N] [--ports N] [--interval 1s] [--warmup S] [--seconds S] [--threads N]
 */
public final class HealthBench {
    private HealthBench() {
    }

    public static void main(String[] args) throws Exception {
        int addresses = 50;
        int ports = 100;
        String interval = "1s";
        int warmup = 10;
        int seconds = 30;
        int threads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--addresses" -> addresses = Integer.parseInt(args[++i]);
                case "--ports" -> ports = Integer.parseInt(args[++i]);
                case "--interval" -> interval = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        int servers = addresses * ports;
        Path dir = Files.createTempDirectory("vk-health-bench");
        try (HealthLab lab = HealthLab.create()) {
            for (int a = 1; a <= addresses; a++) {
                lab.address("198.18.10." + a + "/32");
            }
            Process backend = lab.backend("many", "198.18.10.", Integer.toString(addresses), "10000", Integer.toString(ports));
            StringBuilder conf = new StringBuilder("vipkeeper.ipvs.virtual-servers {\n");
            for (int a = 1; a <= addresses; a++) {
                conf.append("  vs").append(a).append(" { address = \"198.18.0.100\", port = ").append(a)
                        .append(", health-check { type = tcp, interval = ").append(interval)
                        .append(", timeout = 1s, rise = 2, fall = 3 }\n    real-servers = [");
                for (int p = 0; p < ports; p++) {
                    conf.append(p == 0 ? "" : ", ").append("{ address = \"198.18.10.").append(a)
                            .append("\", port = ").append(10000 + p).append(" }");
                }
                conf.append("] }\n");
            }
            conf.append("}\n");
            Recorder recorder = new Recorder();
            HealthMonitor monitor = new HealthMonitor(lab.group(threads), recorder);
            long applyStart = System.nanoTime();
            monitor.apply(HealthConfigs.ipvs(dir, conf.toString()));
            double applyMs = (System.nanoTime() - applyStart) / 1e6;
            System.out.printf(Locale.ROOT, "health checks: %d tcp real servers, interval %s, %d epoll thread(s), %d cores%n",
                    servers, interval, threads, Runtime.getRuntime().availableProcessors());
            Thread.sleep(warmup * 1000L);

            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Map<BackendKey, Long> seen = new HashMap<>();
            snapshot(monitor, seen, new ArrayList<>());
            long checksBefore = total(monitor, false);
            long failuresBefore = total(monitor, true);
            long cpu0 = os.getProcessCpuTime();
            long backendCpu0 = cpuNanos(backend);
            long wall0 = System.nanoTime();
            List<Long> latencies = new ArrayList<>();
            long gc0 = gcMillis();
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                snapshot(monitor, seen, latencies);
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / wall;
            double backendCores = (cpuNanos(backend) - backendCpu0) / 1e9 / wall;
            long checks = total(monitor, false) - checksBefore;
            long failures = total(monitor, true) - failuresBefore;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long up = monitor.health().values().stream().flatMap(m -> m.values().stream()).filter(RealServerHealth::up).count();
            monitor.close();

            List<String> rows = new ArrayList<>();
            rows.add(row("apply (start checking all)", String.format(Locale.ROOT, "%.0f ms", applyMs)));
            rows.add(row("measured", String.format(Locale.ROOT, "%.1f s after %d s warm-up", wall, warmup)));
            rows.add(row("checks", String.format(Locale.ROOT, "%d (%.0f/s), %d failed", checks, checks / wall, failures)));
            rows.add(row("real servers up at the end", up + " of " + servers));
            rows.add(row("CPU of the checking JVM", String.format(Locale.ROOT, "%.3f cores (%.1f%% of one)", cores, cores * 100)));
            rows.add(row("CPU of the backend process (not counted)", String.format(Locale.ROOT, "%.3f cores", backendCores)));
            rows.add(row("GC time in the window", (gcMillis() - gc0) + " ms"));
            rows.add(row("check latency p50", millis(percentile(sorted, 0.50))));
            rows.add(row("check latency p99", millis(percentile(sorted, 0.99))));
            rows.add(row("check latency max", millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1])));
            rows.add(row("latency samples", Integer.toString(sorted.length)));
            // Other work on the machine shows in the latency tail: say how busy it was.
            rows.add(row("load average (1, 5 min) at the end", String.join(" ",
                    Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 2))));
            System.out.println();
            rows.forEach(System.out::println);
        }
    }

    /** Adds the last latency of every server that ran a check since the previous snapshot. */
    private static void snapshot(HealthMonitor monitor, Map<BackendKey, Long> seen, List<Long> latencies) {
        monitor.health().forEach((vs, servers) -> servers.forEach((key, h) -> {
            Long before = seen.put(key, h.checks());
            if (before != null && h.checks() > before) {
                latencies.add(h.lastLatency().toNanos());
            }
        }));
    }

    private static long total(HealthMonitor monitor, boolean failures) {
        return monitor.health().values().stream().flatMap(m -> m.values().stream())
                .mapToLong(h -> failures ? h.failures() : h.checks()).sum();
    }

    private static long cpuNanos(Process p) {
        return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L)
                + p.descendants().mapToLong(d -> d.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String row(String what, String value) {
        return String.format(Locale.ROOT, "%-44s %s", what, value);
    }

}
