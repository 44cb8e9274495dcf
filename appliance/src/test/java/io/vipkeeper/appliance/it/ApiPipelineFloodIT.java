package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.api.ConnectionFlood;
import io.vipkeeper.appliance.api.PrometheusText;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Clients that pipeline {@code GET /status} without ever reading the answers, against `vipkeeper
 * run` (the jar as a process with the unit's JVM options, in a lab namespace), as an adversarial
 * review did: 30 connections each writing requests as fast as the daemon takes them. Without
 * backpressure the answers piled up in the API's outbound buffers until direct memory ran out, the
 * API's event loop hung for good in Bits.reserveMemory and SIGTERM hung in ApiServer.close. Here
 * /healthz must keep answering a client of its own during and after the flood, the resident set
 * must stay near its baseline, the stalled connections are closed after the idle timeout and
 * counted, and SIGTERM must end the daemon with exit 0.
 */
class ApiPipelineFloodIT extends InLab {
    private static final InetSocketAddress API = new InetSocketAddress("127.0.0.1", 9180);
    private static final int CONNECTIONS = 30;
    /** Allowed growth of the resident set over its baseline (the unbounded flood added ~90 MB). */
    private static final long RSS_SLACK_KB = 40 * 1024;
    private static final int ANSWER_MILLIS = 15_000;

    private JarProcess daemon;

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    @Test
    void pipelinedRequestsNobodyReadsNeitherExhaustMemoryNorBlockTheApiOrTheStop() throws Exception {
        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, """
                vipkeeper {
                  node-name = lb1
                  api { listen = "127.0.0.1:9180", idle-timeout = 5s }
                  vrrp.instances.vi_1 {
                    interface = eth0
                    virtual-router-id = 51
                    priority = 150
                    advert-interval = 100ms
                    virtual-ips = ["198.18.1.100/24"]
                  }
                }
                """);
        daemon = lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", conf.toString()));
        daemon.awaitLog("vi_1: BACKUP -> MASTER");
        daemon.awaitLog("status API on");
        for (int i = 0; i < 20; i++) {
            healthz("at rest");
        }
        long baseline = rssKb();
        long maxRss = baseline;
        System.out.println("daemon RSS at rest: " + baseline + " kB");

        AtomicInteger sent = new AtomicInteger();
        List<SocketChannel> flood = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(CONNECTIONS, NamespaceThreads.factory(lab.ns("lb1"), "flood"));
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                writers.execute(() -> pipeline(flood, sent));
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < end) {
                healthz("during the flood");
                maxRss = Math.max(maxRss, boundedRss(baseline));
                Thread.sleep(500);
            }
            // The idle timeout (5 s) closes every connection whose answers wait unread.
            Lab.await(60, "all " + CONNECTIONS + " stalled connections closed and counted", () -> stalled() == CONNECTIONS);
            System.out.println("flood: " + sent.get() + " requests written by the clients");
        } finally {
            flood.forEach(ApiPipelineFloodIT::closeQuietly);
            writers.shutdownNow();
        }
        for (int i = 0; i < 10; i++) {
            healthz("after the flood");
            maxRss = Math.max(maxRss, boundedRss(baseline));
        }
        System.out.println("daemon RSS: at most " + maxRss + " kB (baseline " + baseline + " kB)");

        long stop = System.nanoTime();
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor(), daemon.log());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stop);
        System.out.println("SIGTERM to exit: " + seconds + " s");
        assertTrue(seconds <= 20, "SIGTERM took " + seconds + " s to end the daemon:\n" + daemon.log());
    }

    /** One client: pipelines GET /status in 16 KiB writes until the daemon closes or the test does. */
    private static void pipeline(List<SocketChannel> flood, AtomicInteger sent) {
        byte[] one = "GET /status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int n = 16384 / one.length;
        ByteBuffer many = ByteBuffer.allocate(n * one.length);
        for (int i = 0; i < n; i++) {
            many.put(one);
        }
        try (SocketChannel c = SocketChannel.open()) {
            flood.add(c);
            c.bind(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString("127.0.0.2"), 0));
            c.connect(API);
            while (true) {
                many.clear();
                while (many.hasRemaining()) {
                    c.write(many);
                }
                sent.addAndGet(n);
            }
        } catch (IOException e) {
            // Closed by the daemon (stalled) or by the test.
        }
    }

    /**
     * GET /healthz from a client of its own must answer 200 within {@link #ANSWER_MILLIS} (generous:
     * the machine is loaded, and the first seconds of a flood keep the loop busy).
     */
    private void healthz(String when) throws Exception {
        ConnectionFlood.Answer a;
        try {
            a = ConnectionFlood.get(lab.ns("lb1"), "127.0.0.3", API, "/healthz", ANSWER_MILLIS);
        } catch (IOException e) {
            throw new AssertionError("/healthz did not answer " + when + ": " + e + "\n" + daemon.log(), e);
        }
        assertEquals(200, a.status(), when + ": " + a.body());
    }

    private long boundedRss(long baseline) throws IOException {
        long rss = rssKb();
        assertTrue(rss <= baseline + RSS_SLACK_KB, "the daemon's resident set grew from " + baseline + " kB to "
                + rss + " kB, more than " + RSS_SLACK_KB + " kB");
        return rss;
    }

    private long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").strip());
            }
        }
        throw new IllegalStateException("no VmRSS for " + daemon.pid());
    }

    private long stalled() {
        try {
            return (long) PrometheusText.parse(ConnectionFlood.get(lab.ns("lb1"), "127.0.0.4", API, "/metrics").body())
                    .value("vipkeeper_api_stalled_connections_total");
        } catch (Exception e) {
            return -1;
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
