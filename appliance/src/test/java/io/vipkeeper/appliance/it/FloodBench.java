package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.linux.RawIpSocket;
import io.vipkeeper.vrrp.protocol.HmacTrailer;
import io.vipkeeper.vrrp.protocol.Ipv4Header;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * Benchmark for issue 15's flood finding: a master's worst advert gap while a stranger sends it
 * 100,000 bad VRRP packets as fast as one thread can, per kind of bad packet (unknown VRID, a
 * checksum error for its VRID, a forged HMAC trailer for its VRID: the costliest to reject).
 * The master is `vipkeeper run` (hmac-sha256, at the unit's nice -10 with -Dvipkeeper.nice)
 * in a namespace lab; its adverts are timed by tcpdump on a client beside it. Target: the worst
 * gap during a flood stays within the advert interval + 10 %. Prints a table; asserts nothing.
 * Arguments: packets per flood (100000), advert interval in ms (100 and 1000 by default).
 */
public final class FloodBench {
    private static final String MASTER = "198.18.1.1";
    private static final String STRANGER = "198.18.1.8";
    private static final String KEY = "hex:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private FloodBench() {
    }

    /** One kind of bad packet: its name and the IP packet for sequence number {@code i}. */
    private record Kind(String name, IntFunction<byte[]> packet) {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<Integer> intervals = args.length > 1 ? List.of(Integer.parseInt(args[1])) : List.of(100, 1000);
        Inet4Address src = (Inet4Address) InetAddress.getByName(STRANGER);
        Inet4Address dst = (Inet4Address) InetAddress.getByName(MASTER);
        List<InetAddress> vips = List.of(InetAddress.getByName("198.18.1.100"));
        byte[] wrongKey = new byte[32];
        List<Kind> kinds = List.of(
                new Kind("unknown VRID", i -> Ipv4Header.wrap(VrrpEncoder.encode(VrrpAdvertisement.v3(99, 200, 100, vips),
                        src, dst), src, dst, i & 0xffff, 112)),
                new Kind("bad checksum", i -> {
                    byte[] v = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 254, 100, vips), src, dst);
                    v[7] ^= 0x5a;
                    return Ipv4Header.wrap(v, src, dst, i & 0xffff, 112);
                }),
                new Kind("forged HMAC", i -> Ipv4Header.wrap(HmacTrailer.sign(VrrpEncoder.encode(
                        VrrpAdvertisement.v3(51, 254, 100, vips), src, dst), 3, 51, src, 1, wrongKey, i), src, dst,
                        i & 0xffff, 112)));
        System.out.printf("%d packets per flood from one thread; vipkeeper %s%n", packets,
                JarProcess.nice().isEmpty() ? "at the default priority" : "at nice " + JarProcess.nice().get(2));
        System.out.printf("| interval | flood        | sent in (ms) | received by lb1 | worst gap before (ms) "
                + "| worst gap during (ms) | target (ms) |%n|---|---|---|---|---|---|---|%n");
        for (int interval : intervals) {
            run(interval, packets, kinds);
        }
    }

    private static void run(int interval, int packets, List<Kind> kinds) throws Exception {
        Path dir = Files.createTempDirectory("flood");
        try (Lab lab = Lab.create()) {
            lab.node("lb1", 1);
            lab.node("stranger", 8);
            lab.node("client", 9);
            Path conf = dir.resolve("lb1.conf");
            Files.writeString(conf, """
                    vipkeeper {
                      api.listen = ""
                      vrrp.instances.vi_1 {
                        interface = eth0, virtual-router-id = 51, priority = 150, advert-interval = %dms
                        virtual-ips = ["198.18.1.100/24"]
                        authentication { type = hmac-sha256, key = "%s" }
                      }
                    }
                    """.formatted(interval, KEY));
            JarProcess lb1 = lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", conf.toString()));
            lb1.awaitLog("vi_1: BACKUP -> MASTER");
            ExecutorService stranger = Executors.newSingleThreadExecutor(NamespaceThreads.factory(lab.ns("stranger"),
                    "stranger"));
            RawIpSocket socket = stranger.submit(() -> RawIpSocket.open(false, 112, "eth0", null)).get();
            // Learn lb1's MAC on the bridge so the unicast flood goes to lb1's port only.
            Lab.sh("ip", "netns", "exec", lab.ns("stranger"), "ping", "-c", "1", "-W", "1", MASTER);
            for (Kind kind : kinds) {
                List<byte[]> flood = new ArrayList<>(packets);
                for (int i = 0; i < packets; i++) {
                    flood.add(kind.packet().apply(i + 1));
                }
                Path capture = dir.resolve("adverts-" + interval + ".txt");
                Process dump = new ProcessBuilder("ip", "netns", "exec", lab.ns("client"), "tcpdump", "-tt", "-n", "-l",
                        "-B", "16384", "-i", "eth0", "ip proto 112 and src " + MASTER)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(capture.toFile()).start();
                Thread.sleep(1500);
                long rxBefore = rxPackets(lab);
                double before0 = now();
                Thread.sleep(Math.max(3 * interval, 1500));
                double start = now();
                stranger.submit(() -> {
                    for (byte[] p : flood) {
                        try {
                            socket.send(p, InetAddress.getByName(MASTER));
                        } catch (RuntimeException e) {
                            Thread.onSpinWait(); // a full socket buffer: the packet is lost, as a flood's are
                        }
                    }
                    return null;
                }).get();
                double end = now();
                Thread.sleep(2L * interval + 500);
                dump.destroy();
                dump.waitFor();
                long received = rxPackets(lab) - rxBefore;
                List<Double> times = Files.readAllLines(capture).stream().filter(l -> l.contains("VRRP"))
                        .map(l -> Double.parseDouble(l.substring(0, l.indexOf(' ')))).toList();
                System.out.printf("| %d ms | %-12s | %12.0f | %15d | %21.1f | %21.1f | %11.0f |%n", interval,
                        kind.name(), (end - start) * 1000, received, worstGap(times, before0, start) * 1000,
                        worstGap(times, start, end + interval / 1000.0) * 1000, interval * 1.1);
            }
            socket.close();
            stranger.shutdownNow();
            if (!lb1.isAlive()) {
                System.out.println("lb1 died: " + lb1.err());
            }
        }
    }

    /** The longest time between adverts that lies across [from, to], adverts before and after included. */
    private static double worstGap(List<Double> times, double from, double to) {
        double worst = 0;
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) >= from && times.get(i - 1) <= to) {
                worst = Math.max(worst, times.get(i) - times.get(i - 1));
            }
        }
        return worst;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static long rxPackets(Lab lab) throws IOException, InterruptedException {
        return Long.parseLong(Lab.sh("ip", "netns", "exec", lab.ns("lb1"), "cat",
                "/sys/class/net/eth0/statistics/rx_packets").strip());
    }
}
