package io.vipkeeper.appliance.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two load balancers of one product (vipkeeper or keepalived) in a lab, lb1 (priority 150) and
 * lb2 (100) sharing VRID 51, with the same GARP settings for both products. For the benchmark.
 */
final class Pair {
    private final Lab lab;
    private final Path dir;
    private final boolean vipkeeper;
    private final FailoverBench.Interval iv;
    private final List<String> jvm;
    private AutoCloseable lb1;
    private AutoCloseable lb2;

    Pair(Lab lab, Path dir, boolean vipkeeper, FailoverBench.Interval iv, List<String> jvm) throws Exception {
        this.lab = lab;
        this.dir = dir;
        this.vipkeeper = vipkeeper;
        this.iv = iv;
        this.jvm = jvm;
        lb2 = start("lb2", 100);
        lb1 = start("lb1", 150);
        awaitSteady();
    }

    private AutoCloseable start(String node, int priority) throws Exception {
        String name = node + "-" + (vipkeeper ? "vk" : "ka") + "-" + System.nanoTime();
        if (vipkeeper) {
            Path f = dir.resolve(name + ".conf");
            Files.writeString(f, """
                    vipkeeper {
                      api.listen = ""
                      vrrp.instances.vi_1 {
                        interface = eth0, virtual-router-id = 51, priority = %d, version = %d
                        advert-interval = %s, virtual-ips = ["%s/24"]
                        garp { master-repeat = 1, master-delay = 1s }
                      }
                    }
                    """.formatted(priority, iv.version(), iv.vipkeeper(), FailoverBench.vip()));
            return lab.own(JarProcess.startIn(lab.ns(node), dir, jvm, "run", "-f", f.toString()));
        }
        return lab.own(Keepalived.start(lab.ns(node), dir, name, Keepalived.instance("vi_1", iv.version(), 51,
                priority, iv.keepalived(), FailoverBench.vip() + "/24", "")));
    }

    boolean has(String node) {
        try {
            return lab.has(node, FailoverBench.vip());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void awaitSteady() throws Exception {
        double wait = iv.masterDownMs() / 1000 * 3 + 5;
        Lab.await(wait, "lb1 holds the VIP", () -> has("lb1"));
        Lab.await(wait, "lb2 does not", () -> !has("lb2"));
        Thread.sleep(500);
    }

    /**
     * Pulls lb1's cable right after one of its adverts (so every trial and both products are cut
     * at the same phase of the advert cycle) while the client probes; returns the longest reply
     * gap in ms.
     */
    double cableCutOutage() throws Exception {
        double outage;
        double[] gap;
        Path capture = Files.createTempFile(dir, "takeover", ".txt");
        String lb2Mac = Lab.sh("ip", "-n", lab.ns("lb2"), "-o", "link", "show", "eth0").replaceAll(
                "(?s).*link/ether ([0-9a-f:]+).*", "$1").strip();
        Process dump = new ProcessBuilder("ip", "netns", "exec", lab.ns("client"), "tcpdump", "-tt", "-e", "-l", "-n",
                "-i", "eth0", "ip proto 112 or arp").redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(capture.toFile()).start();
        try (VipProbe probe = new VipProbe(lab.ns("client"), FailoverBench.vip())) {
            Lab.await(5, "the probe gets replies", () -> probe.replies() > 50);
            // ip reads commands from stdin and runs each at once: started before the advert, the
            // cut costs a pipe write rather than a fork and exec (which put milliseconds of noise
            // into the cut's phase).
            Process cutter = new ProcessBuilder("ip", "-n", lab.bridgeNs(), "-batch", "-")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                awaitAdvertFromLb1();
                cutter.getOutputStream().write("link set lb1 down\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                cutter.getOutputStream().flush();
            } finally {
                cutter.getOutputStream().close();
                cutter.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                cutter.destroy();
            }
            Lab.await(iv.masterDownMs() / 1000 * 3 + 5, "lb2 takes over", () -> has("lb2"));
            int before = probe.replies();
            Lab.await(5, "replies again", () -> probe.replies() > before + 100);
            probe.close();
            outage = probe.maxGapMillis();
            gap = probe.maxGap();
        } finally {
            dump.destroy();
            dump.waitFor();
        }
        List<String> lines = Files.readAllLines(capture);
        double lastLb1 = lastAdvertOfLb1(lines);
        takeovers.add(takeoverMillis(lines, lastLb1, lb2Mac, l -> true));
        // Gratuitous: who-has the VIP, told by the VIP (a backup also sends ordinary ARP requests).
        garps.add(takeoverMillis(lines, lastLb1, lb2Mac, l -> l.contains("who-has " + FailoverBench.vip() + " ")
                && l.contains("tell " + FailoverBench.vip() + ",")));
        phases.add((gap[0] - lastLb1) * 1000);
        resumes.add((gap[1] - lastLb1) * 1000);
        lab.cable("lb1", true);
        awaitSteady();
        return outage;
    }

    /** Per cut, from lb1's last advert to lb2's first packet (advert or GARP) as the client saw them. */
    final List<Double> takeovers = new java.util.ArrayList<>();
    /** Per cut, from lb1's last advert to lb2's first gratuitous ARP (what redirects the client). */
    final List<Double> garps = new java.util.ArrayList<>();
    /** Per cut, from lb1's last advert to the client's last reply before the outage (the cut's phase). */
    final List<Double> phases = new java.util.ArrayList<>();
    /** Per cut, from lb1's last advert to the client's first reply after the outage. */
    final List<Double> resumes = new java.util.ArrayList<>();

    /** The epoch time of lb1's last advert in a {@code tcpdump -tt -e} capture (none come after the cut). */
    static double lastAdvertOfLb1(List<String> lines) {
        double last = Double.NaN;
        for (String l : lines) {
            if (l.contains(" 198.18.1.1 > ")) {
                last = Double.parseDouble(l.split(" ")[0]);
            }
        }
        return last;
    }

    /** From {@code lastLb1} to the first later frame from lb2's MAC whose line {@code matches}, in ms. */
    static double takeoverMillis(List<String> lines, double lastLb1, String lb2Mac,
            java.util.function.Predicate<String> matches) {
        for (String l : lines) {
            String[] f = l.split(" ");
            if (f.length > 2 && f[1].equals(lb2Mac) && matches.test(l) && Double.parseDouble(f[0]) > lastLb1) {
                return (Double.parseDouble(f[0]) - lastLb1) * 1000;
            }
        }
        return Double.NaN;
    }

    /** Returns as soon as the client sees an advert from lb1 (tcpdump in the client namespace). */
    private void awaitAdvertFromLb1() throws Exception {
        // Immediate mode: otherwise libpcap hands the packet over when its buffer timeout expires,
        // which put the cut 0-100 ms after the advert at random.
        Process dump = new ProcessBuilder("ip", "netns", "exec", lab.ns("client"), "tcpdump", "--immediate-mode", "-l",
                "-n", "-i", "eth0", "-c", "1", "src host 198.18.1.1 and ip proto 112")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(dump.getInputStream()))) {
            if (in.readLine() == null) {
                throw new IllegalStateException("tcpdump saw no advert from lb1");
            }
        } finally {
            dump.destroy();
        }
    }

    /** SIGTERM to lb1 while the client probes; returns the longest reply gap in ms. */
    double gracefulOutage() throws Exception {
        double outage;
        try (VipProbe probe = new VipProbe(lab.ns("client"), FailoverBench.vip())) {
            Lab.await(5, "the probe gets replies", () -> probe.replies() > 50);
            if (lb1 instanceof JarProcess p) {
                p.signal("TERM");
                p.waitFor();
            } else {
                ((Keepalived) lb1).stop();
            }
            Lab.await(iv.masterDownMs() / 1000 * 3 + 5, "lb2 takes over", () -> has("lb2"));
            int before = probe.replies();
            Lab.await(5, "replies again", () -> probe.replies() > before + 100);
            probe.close();
            outage = probe.maxGapMillis();
        }
        lb1 = start("lb1", 150);
        awaitSteady();
        return outage;
    }

    /** State changes logged so far by both nodes. */
    long transitions() throws Exception {
        return count(lb1) + count(lb2);
    }

    private static long count(AutoCloseable p) throws Exception {
        if (p instanceof JarProcess j) {
            return j.err().lines().filter(l -> l.contains(" -> ") && l.contains("vi_1:")).count();
        }
        return ((Keepalived) p).log().lines().filter(l -> l.contains("Entering ") && l.contains("STATE")).count();
    }

    /** The JVM pids (vipkeeper only). */
    List<Long> pids() {
        return List.of(((JarProcess) lb1).pid(), ((JarProcess) lb2).pid());
    }
}
