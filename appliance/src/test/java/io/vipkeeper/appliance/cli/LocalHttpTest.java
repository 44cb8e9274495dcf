package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket's HTTP client: what it accepts as an answer and what it refuses. */
class LocalHttpTest {
    @TempDir
    Path dir;

    @Test
    void readsStatusAndBodyByContentLength() throws IOException {
        LocalHttp.Response r = LocalHttp.parse("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello".getBytes(StandardCharsets.UTF_8));
        assertEquals(new LocalHttp.Response(200, "hello"), r);
        assertEquals(503, LocalHttp.parse("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    void refusesWhatIsNotAWholeHttpAnswer() {
        assertThrows(IOException.class, () -> LocalHttp.parse("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> LocalHttp.parse("HTTP/1.1 abc OK\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
        IOException cut = assertThrows(IOException.class,
                () -> LocalHttp.parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf".getBytes(StandardCharsets.UTF_8)));
        assertTrue(cut.getMessage().contains("4 of 10"), cut.getMessage());
    }

    @Test
    void asksOverAUnixSocketAndGivesUpOnASilentServer() throws Exception {
        Path sock = dir.resolve("t.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(1024);
                    c.read(in);
                    String req = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    String body = req.startsWith("GET /status HTTP/1.1\r\n") ? "ok" : "bad";
                    // Answered and left open, as a keep-alive server would: the length ends the answer.
                    c.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.US_ASCII)));
                    // The silent one: accepted, never answered.
                    try (SocketChannel silent = server.accept()) {
                        Thread.sleep(3000);
                    }
                } catch (IOException | InterruptedException e) {
                    // the test's assertions say what went wrong
                }
            });
            t.start();
            assertEquals(new LocalHttp.Response(200, "ok"), LocalHttp.get(sock, "/status", Duration.ofSeconds(5)));
            IOException late = assertThrows(IOException.class, () -> LocalHttp.get(sock, "/status", Duration.ofMillis(300)));
            assertTrue(late.getMessage().contains("no answer within 300 ms"), late.getMessage());
            t.join();
        }
    }

    /** A stream refused with a body of known length (403 from api.socket-read): its status and its words. */
    @Test
    void aStreamRefusedWithABodyGivesItsStatusAndItsWords() throws Exception {
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(1024));
                    String body = "uid 65534 may not read\n";
                    c.write(ByteBuffer.wrap(("HTTP/1.1 403 Forbidden\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    // the test's assertions say what went wrong
                }
            });
            t.start();
            try (LocalHttp.Stream stream = LocalHttp.stream(sock, "/events")) {
                assertEquals(403, stream.status());
                assertEquals("uid 65534 may not read", stream.readLine());
            }
            t.join();
        }
    }
}
