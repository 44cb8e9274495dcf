package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.daemon.RunFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator sees of one backend's weight change on the nftables engine: the daemon
 * ({@code vipkeeper run}, the unit's JVM options, its own network namespace) with N x N wrr
 * services, then per round (1) {@code vipkeeper backend weight} over the control socket and (2) a
 * config edit and SIGHUP, each timed to the kernel's table changed, as {@code nft monitor} in the
 * namespace reports the backend's new weight element. (1) is the CLI's POST sent from this JVM
 * (the CLI's own JVM start, about half a second, is not the daemon's), timed from the request and
 * from the answer; (2) from the signal. Prints median
 * [min..max]; asserts nothing. Usage: NftablesWeightBench [--services N] [--rounds R]. Addresses:
 * VIP 198.19.130.100, backends 198.19.131.1 up.
 */
public final class NftablesWeightBench {
    private NftablesWeightBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100;
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> n = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String ns = "vkwtbench" + Long.toHexString(ProcessHandle.current().pid());
        Path dir = Files.createTempDirectory("vk-weight-bench");
        Thread cleanup = new Thread(() -> {
            try {
                Lab.sh("ip", "netns", "del", ns);
            } catch (Exception e) {
                System.err.println("cannot delete " + ns + ": " + e.getMessage());
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        Lab.sh("ip", "netns", "add", ns);
        Lab.sh("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        Lab.sh("ip", "-n", ns, "link", "set", "eth0", "up");
        Lab.sh("ip", "-n", ns, "link", "set", "eth1", "up");
        Lab.sh("ip", "-n", ns, "addr", "add", "198.19.130.100/20", "dev", "eth0");
        List<Double> orders = new ArrayList<>();
        List<Double> answers = new ArrayList<>();
        List<Double> reloads = new ArrayList<>();
        Path conf = dir.resolve("vipkeeper.conf");
        Path pid = dir.resolve("vipkeeper.pid");
        int svc = n / 2;
        Files.writeString(conf, conf(n, svc, 1));
        Process monitor = null;
        try (JarProcess daemon = JarProcess.startIn(ns, dir, "run", "-f", conf.toString(), "--pid-file", pid.toString(),
                "--state-dir", dir.resolve("state").toString())) {
            daemon.awaitLog("change(s) at start");
            daemon.awaitLog("control socket on ");
            Path socket = RunFiles.forPidFile(pid).socket();
            monitor = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "monitor", "elements").redirectErrorStream(true).start();
            BlockingQueue<Event> events = follow(monitor);
            System.out.printf(Locale.ROOT, "nftables daemon, %d services x %d backends (wrr), service s%d's first backend, %d rounds%n",
                    n, n, svc, rounds);
            for (int r = 1; r <= rounds; r++) {
                Thread.sleep(6000); // the run after the last change (a full read) and an idle run pass
                int w = 10 + r;
                events.clear();
                long start = System.currentTimeMillis();
                post(socket, "/backends/s" + svc + "/198.19.131.1%3A80/weight/" + w);
                long answered = System.currentTimeMillis();
                long kernel = await(events, w);
                orders.add((kernel - start) / 1.0);
                answers.add((kernel - answered) / 1.0);
                Thread.sleep(6000);
                // Back to the config, then the config's weight changed by reload.
                post(socket, "/backends/s" + svc + "/198.19.131.1%3A80/enable");
                Thread.sleep(6000);
                int cw = 30 + r;
                Files.writeString(conf, conf(n, svc, cw));
                events.clear();
                long hup = System.currentTimeMillis();
                daemon.signal("HUP");
                long in = await(events, cw);
                reloads.add((in - hup) / 1.0);
                System.out.printf(Locale.ROOT, "round %d: order to kernel %.0f ms (its answer to kernel %.0f ms), SIGHUP to kernel"
                        + " %.0f ms%n", r, orders.get(r - 1), answers.get(r - 1), reloads.get(r - 1));
            }
            daemon.signal("TERM");
            daemon.waitFor();
        } finally {
            if (monitor != null) {
                monitor.destroy();
            }
            cleanup.run();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        System.out.printf(Locale.ROOT, "backend weight order (POST on the control socket) to kernel: %s ms; its answer to"
                + " kernel: %s ms; SIGHUP to kernel: %s ms (median [min..max] of %d; negative: in the kernel before the answer)%n",
                show(orders), show(answers), show(reloads), rounds);
    }

    /**
     * What {@code vipkeeper backend} sends, in this JVM (the CLI's own start would be most of what
     * it measured): one POST on the control socket, answered once the order is carried out.
     */
    private static void post(Path socket, String path) throws java.io.IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                got.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String answer = got.toString(StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("POST " + path + " answered " + answer);
            }
        }
    }

    private record Event(long millis, String line) {
    }

    private static BlockingQueue<Event> follow(Process monitor) {
        BlockingQueue<Event> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    q.add(new Event(System.currentTimeMillis(), line));
                }
            } catch (java.io.IOException e) {
                // the monitor was stopped
            }
        }, "nft-monitor");
        t.setDaemon(true);
        t.start();
        return q;
    }

    /** The changed backend's element of its weight map; the weight is a mark, which nft prints in hex. */
    private static final Pattern CHANGED = Pattern.compile("198\\.19\\.131\\.1 \\. 80 : (0x[0-9a-f]+|\\d+)");

    /** When {@code nft monitor} reported the changed backend's weight element added at {@code weight} (epoch ms). */
    private static long await(BlockingQueue<Event> events, int weight) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            Event e = events.poll(1, TimeUnit.SECONDS);
            if (e == null || !e.line().startsWith("add element")) {
                continue;
            }
            Matcher m = CHANGED.matcher(e.line());
            while (m.find()) {
                if (Long.decode(m.group(1)) == weight) {
                    return e.millis();
                }
            }
        }
        throw new IllegalStateException("nft monitor never reported 198.19.131.1 . 80 at weight " + weight);
    }

    private static String conf(int n, int changed, int weight) {
        StringBuilder sb = new StringBuilder("vipkeeper {\n api.listen = \"\"\n data-plane = nftables\n"
                + " ipvs.virtual-server-defaults.health-check.type = none\n ipvs.virtual-servers {\n");
        for (int s = 0; s < n; s++) {
            sb.append("  s").append(s).append(" { address = \"198.19.130.100\", port = ").append(1000 + s)
                    .append(", scheduler = wrr, real-servers = [\n");
            for (int r = 0; r < n; r++) {
                int w = s == changed && r == 0 ? weight : 1 + r % 5;
                sb.append("   { address = \"198.19.").append(131 + r / 250).append('.').append(r % 250 + 1)
                        .append("\", port = 80, weight = ").append(w).append(" }\n");
            }
            sb.append("  ] }\n");
        }
        return sb.append(" }\n}\n").toString();
    }

    private static String show(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f [%.0f..%.0f]", s.get(s.size() / 2), s.get(0), s.get(s.size() - 1));
    }
}
