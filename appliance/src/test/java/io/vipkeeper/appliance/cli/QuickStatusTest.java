package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vipkeeper status}'s short way: which command lines it takes, what it asks the socket for,
 * and that every answer it does not expect is left to the whole way (which prints the error).
 */
class QuickStatusTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A daemon's control socket in {@code dir/run} that answers one request with {@code answer}; its future is the request. */
    private CompletableFuture<String> daemon(String answer) throws IOException {
        Files.createDirectories(dir.resolve("run"));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("run/control.sock")));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(4096);
                c.read(in);
                c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    private static String ok(String type, String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private int run(String... args) {
        return QuickStatus.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheTableTheDaemonRendersAskingForText() throws Exception {
        CompletableFuture<String> request = daemon(ok("text/plain; charset=utf-8", "lb1: vipkeeper ✓\nINSTANCE ...\n"));
        assertEquals(ExitCodes.OK, run("status", "--run-dir", dir.resolve("run").toString()));
        assertEquals("lb1: vipkeeper ✓\nINSTANCE ...\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(request.get().startsWith("GET /status HTTP/1.1\r\n"), request.get());
        assertTrue(request.get().contains("\r\nAccept: text/plain\r\n"), request.get());
    }

    @Test
    void jsonAsksForJsonAndPrintsItAsIs() throws Exception {
        CompletableFuture<String> request = daemon(ok("application/json; charset=utf-8", "{\"node\":\"lb1\"}\n"));
        assertEquals(ExitCodes.OK, run("status", "--json", "--run-dir=" + dir.resolve("run")));
        assertEquals("{\"node\":\"lb1\"}\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(request.get().contains("\r\nAccept: application/json\r\n"), request.get());
    }

    /** An older daemon answers JSON whatever is asked: the whole way reads it. */
    @Test
    void aDaemonThatAnswersJsonToATextRequestIsLeftToTheWholeWay() throws Exception {
        daemon(ok("application/json; charset=utf-8", "{}\n"));
        assertEquals(QuickStatus.NOT_TAKEN, run("status", "--run-dir", dir.resolve("run").toString()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusalIsLeftToTheWholeWayWhichSaysWhy() throws Exception {
        daemon("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nforbidden\n");
        assertEquals(QuickStatus.NOT_TAKEN, run("status", "--run-dir", dir.resolve("run").toString()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noDaemonIsLeftToTheWholeWay() {
        assertEquals(QuickStatus.NOT_TAKEN, run("status", "--run-dir", dir.resolve("none").toString()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void otherCommandLinesAreNotTaken() {
        String run = dir.resolve("run").toString();
        for (String[] args : new String[][] {{}, {"check"}, {"status", "--url", "http://127.0.0.1:9180"},
                {"status", "-f", "x.conf", "--run-dir", run}, {"status", "--json", "--json"}, {"status", "--run-dir"},
                {"status", "--run-dir="}, {"status", "--run-dir", run, "--run-dir", run}, {"status", "--help"},
                {"status", "--pid-file", run + "/vipkeeper.pid"}, {"status", "extra"}}) {
            assertEquals(QuickStatus.NOT_TAKEN, run(args), String.join(" ", args));
        }
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
