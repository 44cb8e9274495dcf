package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vipkeeper.appliance.api.ConnectionLimiter.Cap;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.api.ReloadResult;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.pool.DataPlaneManager;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status API's connection caps and idle timeout over real sockets, in a network namespace of
 * its own (lo only; clients from 127.0.0.N): connections over {@code max-connections-per-client}
 * and {@code max-connections} are reset at once and counted, the others keep being served, and idle
 * connections are closed. Small caps and a short timeout keep it fast. Needs root.
 */
class ApiConnectionLimitsIT {
    private static final String API = "api { listen = \"127.0.0.1:9180\", max-connections = 6, "
            + "max-connections-per-client = 3, idle-timeout = 10s }";
    private static final String SHORT_IDLE = API.replace("idle-timeout = 10s", "idle-timeout = 500ms");

    @TempDir
    static Path dir;
    static ApiNamespace ns;
    static EventLoopGroup group;
    Inputs inputs;
    ApiServer server;
    InetSocketAddress target;

    @BeforeAll
    static void namespace() throws Exception {
        ns = ApiNamespace.create("limits");
        group = new MultiThreadIoEventLoopGroup(1, ns.threads("api"), EpollIoHandler.newFactory());
    }

    @AfterAll
    static void removeNamespace() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        inputs = new Inputs(settings(API));
        server = new ApiServer(group, inputs);
        server.start(new InetSocketAddress("127.0.0.1", 0));
        target = server.localAddress();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void overThePerClientCapResetAtOnceWhileOthersAreServed() throws Exception {
        try (ConnectionFlood flood = ConnectionFlood.open(ns.name, target, List.of("127.0.0.2"), 20)) {
            await("17 of 20 reset", () -> flood.closedByServer() == 17);
            assertEquals(3, server.openConnections());
            assertEquals(17, server.metrics().refusedConnections(Cap.PER_CLIENT));
            assertEquals(0, server.metrics().refusedConnections(Cap.TOTAL));

            ConnectionFlood.Answer status = get("127.0.0.3", "/status");
            assertEquals(200, status.status(), status.body());
            assertEquals("lb1", StatusJson.read(status.body()).node());
            PrometheusText m = PrometheusText.parse(get("127.0.0.3", "/metrics").body());
            assertEquals(17, m.value("vipkeeper_api_refused_connections_total", "cap", "per-client"));
            assertEquals(0, m.value("vipkeeper_api_refused_connections_total", "cap", "total"));
            assertEquals(4, m.value("vipkeeper_api_connections"), "the flood's 3 and the scrape itself");
        }
        await("the flood's connections released", () -> server.openConnections() == 0);
        assertEquals(200, get("127.0.0.2", "/healthz").status(), "the address is served again");
    }

    @Test
    void onControlSocketEachUserHasItsOwnAllowanceSoNobodyLocksRootOut() throws Exception {
        Path dir = Files.createTempDirectory("vk-sock");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = dir.resolve("vipkeeper.sock");
        server.listenLocal(socket);
        // User nobody opens ten connections and holds them (the per-client cap here is 3): a
        // one-file Java program, run by the JDK's source launcher.
        Path hold = Files.writeString(dir.resolve("Hold.java"), String.join("\n",
                "import java.net.*; import java.nio.channels.*;",
                "public class Hold { public static void main(String[] a) throws Exception {",
                "  var held = new java.util.ArrayList<SocketChannel>();",
                "  for (int i = 0; i < 10; i++) { var c = SocketChannel.open(StandardProtocolFamily.UNIX);",
                "    c.connect(UnixDomainSocketAddress.of(a[0])); held.add(c); }",
                "  System.out.print(\"held\"); System.out.flush(); Thread.sleep(60000); } }", ""));
        Files.setPosixFilePermissions(hold, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Process holder = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), hold.toString(), socket.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            assertEquals("held", new String(holder.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
            await("nobody holds 3, the rest reset", () -> server.metrics().refusedConnections(Cap.PER_CLIENT) == 7);
            assertEquals(3, server.openConnections());
            // Root is another user: served.
            try (SocketChannel c = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                c.connect(java.net.UnixDomainSocketAddress.of(socket));
                c.write(ByteBuffer.wrap("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(4096);
                while (c.read(in) >= 0 && in.hasRemaining()) {
                    // until the server closes
                }
                String answer = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
        } finally {
            holder.destroyForcibly();
            server.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(hold);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void overTheTotalCapResetFromAnyAddress() throws Exception {
        List<String> sources = IntStream.rangeClosed(10, 13).mapToObj(i -> "127.0.0." + i).toList();
        try (ConnectionFlood flood = ConnectionFlood.open(ns.name, target, sources, 5)) {
            // 127.0.0.10 gets 3 (2 over its cap), .11 3 more, which fill the total (checked first).
            await("14 of 20 reset", () -> flood.closedByServer() == 14);
            assertEquals(6, server.openConnections());
            assertEquals(2, server.metrics().refusedConnections(Cap.PER_CLIENT));
            assertEquals(12, server.metrics().refusedConnections(Cap.TOTAL));
            assertThrows(IOException.class, () -> get("127.0.0.20", "/status"), "a newcomer is reset while full");
            assertEquals(13, server.metrics().refusedConnections(Cap.TOTAL));
        }
        await("the flood's connections released", () -> server.openConnections() == 0);
        assertEquals(200, get("127.0.0.20", "/status").status());
    }

    /** TCP's total full (reads need no token) must not keep root off the control socket. */
    @Test
    void aFullTcpListenerLeavesTheControlSocketServed() throws Exception {
        Path dir = Files.createTempDirectory("vk-sock");
        Path socket = dir.resolve("control.sock");
        server.listenLocal(socket);
        List<String> sources = IntStream.rangeClosed(10, 13).mapToObj(i -> "127.0.0." + i).toList();
        try (ConnectionFlood flood = ConnectionFlood.open(ns.name, target, sources, 5)) {
            await("the TCP total full", () -> flood.closedByServer() == 14);
            assertThrows(IOException.class, () -> get("127.0.0.20", "/status"), "TCP is full");
            try (SocketChannel c = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                c.connect(java.net.UnixDomainSocketAddress.of(socket));
                c.write(ByteBuffer.wrap("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(4096);
                while (c.read(in) >= 0 && in.hasRemaining()) {
                    // until the server closes
                }
                String answer = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200"), "the control socket answers: " + answer);
            }
        } finally {
            server.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void capsFollowTheSettingsInForce() throws Exception {
        inputs.settings = settings(API.replace("max-connections-per-client = 3", "max-connections-per-client = 1"));
        try (ConnectionFlood flood = ConnectionFlood.open(ns.name, target, List.of("127.0.0.40"), 4)) {
            await("3 of 4 reset", () -> flood.closedByServer() == 3);
            assertEquals(1, server.openConnections());
        }
    }

    @Test
    void silentConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        inputs.settings = settings(SHORT_IDLE);
        try (ConnectionFlood flood = ConnectionFlood.open(ns.name, target, List.of("127.0.0.30"), 3)) {
            assertEquals(0, flood.closedByServer(), "within the caps");
            await("closed when idle", () -> flood.closedByServer() == 3);
        }
        await("released", () -> server.openConnections() == 0);
    }

    @Test
    void keepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        inputs.settings = settings(SHORT_IDLE);
        String text = ns.in(() -> {
            try (SocketChannel c = SocketChannel.open(target)) {
                c.socket().setSoTimeout(10_000);
                c.write(ByteBuffer.wrap("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                long start = System.nanoTime();
                String all = new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(idleMs >= 400, "closed by the idle timeout, not at once: " + idleMs + " ms");
                return all;
            }
        });
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
        assertEquals(1, text.split("HTTP/1.1 ", -1).length - 1, "one answer, then the server closed: " + text);
        await("released", () -> server.openConnections() == 0);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String text = ns.in(() -> {
            try (SocketChannel c = SocketChannel.open(target)) {
                c.socket().setSoTimeout(10_000);
                c.write(ByteBuffer.wrap(("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                return new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        List<String> statuses = text.lines().filter(l -> l.startsWith("HTTP/1.1 ")).toList();
        assertEquals(List.of("HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"), statuses, text);
    }

    @Test
    void aClientPipeliningWithoutReadingHoldsOneAnswerAndIsClosedAfterTheIdleTimeout() throws Exception {
        inputs.settings = settings(SHORT_IDLE);
        byte[] many = "GET /status HTTP/1.1\r\nHost: x\r\n\r\n".repeat(500).getBytes(StandardCharsets.US_ASCII);
        long written = ns.in(() -> {
            try (SocketChannel c = SocketChannel.open(target)) {
                long n = 0;
                try {
                    // Until the server stops reading and closes the connection; never reads an answer.
                    for (int i = 0; i < 10_000; i++) {
                        n += c.write(ByteBuffer.wrap(many));
                    }
                } catch (IOException closed) {
                    return n;
                }
                throw new AssertionError("the server kept reading " + n + " bytes of requests nobody took answers to");
            }
        });
        assertTrue(written > 0);
        await("counted as stalled", () -> server.metrics().stalledConnections() == 1);
        await("released", () -> server.openConnections() == 0);
        assertEquals(200, get("127.0.0.2", "/healthz").status(), "served meanwhile and after");
    }

    @Test
    void closeReturnsWhileTheLoopHangs() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        group.next().execute(() -> {
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), server::close, "close waits for a hung loop forever");
        } finally {
            hang.countDown();
        }
    }

    private ConnectionFlood.Answer get(String source, String path) throws Exception {
        return ConnectionFlood.get(ns.name, source, target, path);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static Settings settings(String api) throws Exception {
        return settings(dir, api);
    }

    /** Settings with {@code api} and nothing else, from a file in {@code dir}. */
    static Settings settings(Path dir, String api) throws Exception {
        Path f = Files.createTempFile(dir, "vipkeeper", ".conf");
        // Only the API matters here: the file says it configures nothing else on purpose.
        Files.writeString(f, "vipkeeper { node-name = \"lb1\", allow-empty = true, " + api + " }\n");
        return ConfigLoader.load(f);
    }

    /** A daemon with nothing but its settings, which a test may replace as a reload does. */
    static final class Inputs implements StatusInputs {
        volatile Settings settings;

        Inputs(Settings settings) {
            this.settings = settings;
        }

        @Override
        public Settings settings() {
            return settings;
        }

        @Override
        public Instant startedAt() {
            return Instant.EPOCH;
        }

        @Override
        public Instant loadedAt() {
            return Instant.EPOCH;
        }

        @Override
        public Optional<ReloadResult> lastReload() {
            return Optional.empty();
        }

        @Override
        public long reloadsOk() {
            return 0;
        }

        @Override
        public long reloadsFailed() {
            return 0;
        }

        @Override
        public Map<String, VirtualRouter> routers() {
            return Map.of();
        }

        @Override
        public Optional<io.vipkeeper.appliance.dataplane.DataPlaneStatus> ipvs() {
            return Optional.empty();
        }

        @Override
        public Map<String, Map<BackendKey, RealServerHealth>> health() {
            return Map.of();
        }

        /** The event stream, when a test gives one. */
        volatile Optional<io.vipkeeper.appliance.events.EventBus> events = Optional.empty();

        @Override
        public Optional<io.vipkeeper.appliance.events.EventBus> events() {
            return events;
        }
    }
}
