package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vipkeeper.appliance.events.Event;
import io.vipkeeper.appliance.events.EventBus;
import io.vipkeeper.appliance.events.EventJson;
import io.vipkeeper.appliance.events.Events;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /events} over real sockets in a network namespace of its own (lo only): the stream's
 * head and framing, that it outlives {@code api.idle-timeout} while holding its connection slot,
 * that whatever a client sends on it is ignored, that a reader's going is seen at once, and that a
 * reader that stops reading is cut off with an overflow event instead of growing the daemon's
 * memory. Needs root.
 */
class EventStreamIT {
    private static final String API = "api { listen = \"127.0.0.1:9180\", idle-timeout = 300ms }";

    @TempDir
    static Path dir;
    static ApiNamespace ns;
    static EventLoopGroup group;
    EventBus bus;
    ApiServer server;
    InetSocketAddress target;

    @BeforeAll
    static void namespace() throws Exception {
        ns = ApiNamespace.create("events");
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
        bus = new EventBus(EventBus.DEFAULT_LIMIT);
        ApiConnectionLimitsIT.Inputs inputs = new ApiConnectionLimitsIT.Inputs(ApiConnectionLimitsIT.settings(dir, API));
        inputs.events = Optional.of(bus);
        server = new ApiServer(group, inputs);
        server.start(new InetSocketAddress("127.0.0.1", 0));
        target = server.localAddress();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** A connection from inside the namespace, its receive buffer as small as asked (0: the kernel's). */
    private Socket connect(int receiveBuffer) throws Exception {
        return ns.in(() -> {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.connect(target, 5000);
            s.setSoTimeout(10_000);
            return s;
        });
    }

    private static void send(Socket s, String request) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static List<String> head(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l = in.readLine(); !l.isEmpty(); l = in.readLine()) {
            lines.add(l);
        }
        return lines;
    }

    private long metric(String name) {
        String text = new String(server.metrics().scrape("text/plain").body(), StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1))
                .mapToLong(v -> (long) Double.parseDouble(v)).findFirst().orElse(-1);
    }

    @Test
    void eventsComeFramedOnAStreamThatOutlivesTheIdleTimeoutAndIgnoresWhatTheClientSends() throws Exception {
        try (Socket s = connect(0)) {
            send(s, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = head(in);
            assertEquals("HTTP/1.1 200 OK", head.get(0));
            assertTrue(head.contains("content-type: text/event-stream; charset=utf-8"), head.toString());
            assertTrue(head.contains("connection: close"), head.toString());
            assertTrue(head.stream().noneMatch(h -> h.startsWith("content-length") || h.startsWith("transfer-encoding")),
                    head.toString());
            assertEquals(": vipkeeper events", in.readLine());
            assertEquals("", in.readLine());
            ApiConnectionLimitsIT.await("subscribed", () -> bus.subscribers() == 1);

            Thread.sleep(1000); // over three idle timeouts
            // A request on the stream is not answered into it.
            send(s, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n");
            Event e = Events.reload(true, "web: priority 150 -> 160");
            bus.publish(e);
            assertEquals("event: reload", in.readLine());
            assertEquals("data: " + EventJson.write(e), in.readLine());
            assertEquals("", in.readLine());
            assertEquals(1, server.openConnections(), "the stream holds its slot in the caps");
            assertEquals(1, metric("vipkeeper_api_event_subscribers"));
        }
        ApiConnectionLimitsIT.await("the reader's going seen", () -> bus.subscribers() == 0 && server.openConnections() == 0);
    }

    @Test
    void aReaderThatStopsReadingIsCutOffWithAnOverflowEvent() throws Exception {
        try (Socket s = connect(4096)) {
            send(s, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            String pad = "x".repeat(1000);
            int published = 3 * EventBus.DEFAULT_LIMIT;
            for (int i = 0; i < published; i++) {
                bus.publish(Events.health("web", "198.18.0." + (i % 250) + ":80", i % 2 == 0, pad));
            }
            ApiConnectionLimitsIT.await("cut off", () -> bus.overflows() == 1);
            assertEquals(0, bus.subscribers());
            // Now it reads: what was in flight, then the overflow event, then the end.
            String rest = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long delivered = rest.lines().filter(l -> l.equals("event: health")).count();
            assertTrue(delivered < published, delivered + " of " + published);
            assertTrue(rest.endsWith("\n\n") && rest.substring(rest.lastIndexOf("event: ")).startsWith("event: overflow\n"),
                    rest.substring(Math.max(0, rest.length() - 500)));
            assertEquals(1, metric("vipkeeper_api_event_overflows_total"));
        }
    }

    @Test
    void onlyGetAndHeadMayAskForTheStream() throws Exception {
        try (Socket s = connect(0)) {
            send(s, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = head(in);
            assertEquals("HTTP/1.1 405 Method Not Allowed", head.get(0));
            assertTrue(head.contains("allow: GET, HEAD"), head.toString());
        }
        assertEquals(0, bus.subscribers());
    }
}
