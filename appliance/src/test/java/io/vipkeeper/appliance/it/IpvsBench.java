package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPVS programming benchmark, run inside the real-IPVS VM by vagrant/lab/bench-ipvs: 100 services
 * x 100 real servers from an empty table with vipkeeper, with ipvsadm one call per change, with
 * {@code ipvsadm -R}, and with keepalived's checker; then a one-line config change. Prints a table.
 * Each contender gets a fresh network namespace. Usage: IpvsBench [--services N] [--per-command N] [--only-vipkeeper]
 * [--nftables]. With {@code --nftables} (on a host without IPVS, e.g. this one) only vipkeeper runs,
 * on the nftables engine, and its table is counted from {@code nft -j list table inet vipkeeper_lb}.
 */
public final class IpvsBench {
    private static final String NS = "vkbench";
    private static int services = 100;
    private static boolean nftables;
    private static final int REAL_SERVERS = 100;
    private static final List<String> rows = new ArrayList<>();

    private IpvsBench() {
    }

    public static void main(String[] args) throws Exception {
        int perCommandServices = 10;
        boolean onlyVipkeeper = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> services = Integer.parseInt(args[++i]);
                case "--per-command" -> perCommandServices = Integer.parseInt(args[++i]);
                case "--only-vipkeeper" -> onlyVipkeeper = true;
                case "--nftables" -> {
                    nftables = true;
                    onlyVipkeeper = true;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("vk-bench");
        int entries = services * (REAL_SERVERS + 1);
        System.out.printf("%s programming, %d services x %d real servers (%d kernel objects), kernel %s%n",
                nftables ? "nftables" : "IPVS", services, REAL_SERVERS, entries, Shell.run("uname", "-r").strip());
        try {
            vipkeeper(dir);
            if (!onlyVipkeeper) {
                restore(dir);
                perCommand(dir, Math.min(perCommandServices, services));
                keepalived(dir);
            }
        } finally {
            // Each contender's namespace replaced the last one's; the last goes with the run.
            Shell.tryRun("ip", "netns", "del", NS);
        }
        System.out.println();
        rows.forEach(System.out::println);
    }

    private static void namespace() {
        Shell.sh("ip netns del " + NS + " 2>/dev/null; ip netns add " + NS + " && ip -n " + NS
                + " link add eth0 type veth peer name eth1 && ip -n " + NS + " link set eth1 up && ip -n " + NS + " link set eth0 up && ip -n " + NS
                + " addr add 198.18.0.1/16 dev eth0");
    }

    private static String rs(int r) {
        return "198.18." + (2 + r / 250) + "." + (r % 250 + 1);
    }

    private static int kernelDests() throws java.io.IOException {
        if (nftables) {
            // Every backend is an element of its service's weight map (..._w).
            com.fasterxml.jackson.databind.JsonNode table = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    Shell.run("ip", "netns", "exec", NS, "nft", "-j", "list", "table", "inet", "vipkeeper_lb"));
            int n = 0;
            for (com.fasterxml.jackson.databind.JsonNode o : table.path("nftables")) {
                if (o.path("map").path("name").asText().endsWith("_w")) {
                    n += o.path("map").path("elem").size();
                }
            }
            return n;
        }
        return (int) Shell.run("ip", "netns", "exec", NS, "ipvsadm", "-Sn").lines().filter(l -> l.startsWith("-a"))
                .count();
    }

    /** utime + stime of process {@code pid} (fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms). */
    private static double cpuSeconds(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static void row(String what, String value) {
        rows.add(String.format(Locale.ROOT, "%-58s %s", what, value));
        System.out.println("  " + what + ": " + value);
    }

    private static String vipkeeperConf(int changedWeight) {
        StringBuilder sb = new StringBuilder("vipkeeper {\n api.listen = \"\"\n" + (nftables ? " data-plane = nftables\n" : "")
                + " ipvs.virtual-server-defaults.health-check.type = none\n ipvs.virtual-servers {\n");
        for (int s = 0; s < services; s++) {
            sb.append("  s").append(s).append(" { address = \"198.18.0.100\", port = ").append(1000 + s)
                    .append(", scheduler = wrr, real-servers = [\n");
            for (int r = 0; r < REAL_SERVERS; r++) {
                int weight = s == services / 2 && r == 0 ? changedWeight : 1;
                sb.append("   { address = \"").append(rs(r)).append("\", port = 80, weight = ").append(weight)
                        .append(" }\n");
            }
            sb.append("  ] }\n");
        }
        return sb.append(" }\n}\n").toString();
    }

    private static void vipkeeper(Path dir) throws Exception {
        namespace();
        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, vipkeeperConf(1));
        long t0 = System.nanoTime();
        // Without -v, as operators run it: -v logs each of the 10,100 changes after the last ACK
        // and before the line this waits for (0.4-0.7 s on this host). The reload's one change is
        // logged at info anyway.
        try (JarProcess p = JarProcess.startIn(NS, dir, "run", "-f", conf.toString())) {
            p.awaitLog("change(s) at start");
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(p.pid());
            Matcher m = Pattern.compile("after (\\d+) change\\(s\\) at start, in (\\d+) ms").matcher(p.err());
            if (!m.find()) {
                throw new AssertionError("no programming time in the log:\n" + p.err());
            }
            int dests = kernelDests();
            row("vipkeeper: programming (reconciler start to last ACK)", m.group(2) + " ms for " + m.group(1)
                    + " changes, " + dests + " real servers in the kernel");
            row("vipkeeper: process start to table in place (JVM, config)", String.format(Locale.ROOT, "%.1f s", wall));
            // Less at the mercy of the host's other work than the wall time (a class-data archive
            // saves CPU: loading and verifying classes).
            row("vipkeeper: CPU of the process by then (user + system)", String.format(Locale.ROOT, "%.2f s", cpu));
            Files.writeString(conf, vipkeeperConf(5));
            p.signal("HUP");
            p.awaitLog("reload succeeded");
            String reload = p.err().substring(p.err().indexOf("reloading"));
            String engine = nftables ? "nftables" : "ipvs";
            List<String> changes = reload.lines().filter(l -> l.contains("DataPlaneManager: " + engine + " reload:")).toList();
            row("vipkeeper: one-line change (a weight), changes", changes.size() + " ("
                    + changes.stream().findFirst().orElse("none").replaceAll(".*" + engine + " reload: ", "") + ")");
            p.err().lines().filter(l -> l.contains("ipvs: dump")).limit(2).forEach(l -> System.out.println("    " + l));
            p.signal("TERM");
            p.waitFor();
        }
    }

    private static String rules(int count) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < count; s++) {
            sb.append("-A -t 198.18.0.100:").append(1000 + s).append(" -s wrr\n");
            for (int r = 0; r < REAL_SERVERS; r++) {
                sb.append("-a -t 198.18.0.100:").append(1000 + s).append(" -r ").append(rs(r)).append(":80 -m -w 1\n");
            }
        }
        return sb.toString();
    }

    private static void restore(Path dir) throws Exception {
        namespace();
        Path file = dir.resolve("rules");
        Files.writeString(file, rules(services));
        long t0 = System.nanoTime();
        Shell.run("sh", "-c", "ip netns exec " + NS + " ipvsadm -R < " + file);
        double s = (System.nanoTime() - t0) / 1e9;
        row("ipvsadm -R (one process)", String.format(Locale.ROOT, "%.2f s, %d real servers in the kernel", s,
                kernelDests()));
    }

    private static void perCommand(Path dir, int count) throws Exception {
        namespace();
        Path script = dir.resolve("per-command.sh");
        StringBuilder sb = new StringBuilder();
        for (String line : rules(count).split("\n")) {
            sb.append("ipvsadm ").append(line).append('\n');
        }
        Files.writeString(script, sb.toString());
        long t0 = System.nanoTime();
        Shell.run("ip", "netns", "exec", NS, "sh", "-e", script.toString());
        double s = (System.nanoTime() - t0) / 1e9;
        int commands = count * (REAL_SERVERS + 1);
        double all = s * services / count;
        row("ipvsadm, one call per change", String.format(Locale.ROOT, "%.1f s for %d calls%s", s, commands,
                count == services ? "" : String.format(Locale.ROOT, "; %.0f s for all %d (scaled)", all,
                        services * (REAL_SERVERS + 1))));
    }

    private static void keepalived(Path dir) throws Exception {
        namespace();
        StringBuilder sb = new StringBuilder("global_defs {\n  router_id bench\n}\n");
        for (int s = 0; s < services; s++) {
            sb.append("virtual_server 198.18.0.100 ").append(1000 + s)
                    .append(" {\n  delay_loop 60\n  lb_algo wrr\n  lb_kind NAT\n  protocol TCP\n");
            for (int r = 0; r < REAL_SERVERS; r++) {
                sb.append("  real_server ").append(rs(r)).append(" 80 {\n    weight 1\n  }\n");
            }
            sb.append("}\n");
        }
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, sb.toString());
        int want = services * REAL_SERVERS;
        long t0 = System.nanoTime();
        Process k = new ProcessBuilder("ip", "netns", "exec", NS, "keepalived", "-n", "-l", "-C", "-f", conf.toString(),
                "-p", dir.resolve("ka.pid").toString(), "-c", dir.resolve("ka-check.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("keepalived.log").toFile()).start();
        try {
            int dests = 0;
            while (dests < want && System.nanoTime() - t0 < 300_000_000_000L) {
                Thread.sleep(100);
                dests = kernelDests();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            row("keepalived --check: start to all real servers in ipvsadm", dests < want
                    ? "not within 300 s (" + dests + " of " + want + ")"
                    : String.format(Locale.ROOT, "%.2f s (polled every ~0.1 s plus one ipvsadm -Sn)", s));
        } finally {
            k.descendants().forEach(ProcessHandle::destroy);
            k.destroy();
            k.waitFor();
            Shell.tryRun("ip", "netns", "del", NS);
        }
    }
}
