package io.vipkeeper.appliance.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP/1.1 GET or POST over the daemon's control socket (a unix stream socket; the JDK's HTTP client
 * speaks only TCP). The daemon answers with a Content-Length and closes on "Connection: close", so
 * reading to the end of the stream is the whole answer; anything else is a clear error.
 */
final class LocalHttp {
    /** An answer: the status code, the body and its Content-Type ("" without one). */
    record Response(int status, String body, String contentType) {
        /** An answer without a Content-Type. */
        Response(int status, String body) {
            this(status, body, "");
        }
    }

    private LocalHttp() {
    }

    /** GETs {@code path} from the daemon on {@code socket}, giving up after {@code timeout}. */
    static Response get(Path socket, String path, Duration timeout) throws IOException, InterruptedException {
        return send(socket, "GET", path, "", timeout);
    }

    /** The same, asking for the media type {@code accept} (the daemon renders /status as text for text/plain). */
    static Response get(Path socket, String path, String accept, Duration timeout) throws IOException, InterruptedException {
        return send(socket, "GET", path, "Accept: " + accept + "\r\n", timeout);
    }

    /** POSTs to {@code path} (no body) on the daemon on {@code socket}, giving up after {@code timeout}. */
    static Response post(Path socket, String path, Duration timeout) throws IOException, InterruptedException {
        return send(socket, "POST", path, "Content-Length: 0\r\n", timeout);
    }

    private static Response send(Path socket, String method, String path, String headers, Duration timeout)
            throws IOException, InterruptedException {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "control-socket");
            t.setDaemon(true);
            return t;
        });
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Future<byte[]> answer = ex.submit(() -> exchange(ch, socket, method, path, headers));
            return parse(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            ch.close();
            ex.shutdownNow();
        }
    }

    private static byte[] exchange(SocketChannel ch, Path socket, String method, String path, String headers)
            throws IOException {
        request(ch, socket, method, path, headers);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(16384);
        while (ch.read(buf) >= 0) {
            all.write(buf.array(), 0, buf.position());
            buf.clear();
            if (complete(all.toByteArray())) {
                break;
            }
        }
        return all.toByteArray();
    }

    /** Connects {@code ch} to {@code socket} and sends the request (no body, the connection to close after it). */
    private static void request(SocketChannel ch, Path socket, String method, String path, String headers)
            throws IOException {
        ch.connect(UnixDomainSocketAddress.of(socket));
        ch.write(ByteBuffer.wrap((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * GETs {@code path} from the daemon on {@code socket} and leaves the answer's body to be read a
     * line at a time as it comes (a stream such as {@code /events} that has no length and no end).
     * Closing it (from any thread) ends a read that waits.
     */
    static Stream stream(Path socket, String path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            request(ch, socket, "GET", path, "");
            return new Stream(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** An answer whose body is read line by line as it arrives. */
    static final class Stream implements AutoCloseable {
        private final SocketChannel ch;
        private final ByteBuffer in = ByteBuffer.allocate(16384);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final int status;

        private Stream(SocketChannel ch) throws IOException {
            this.ch = ch;
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            in.flip();
            while (headEnd(head.toByteArray()) < 0) {
                if (!in.hasRemaining() && !fill()) {
                    throw new IOException("the answer ended before its head did (" + head.size() + " bytes)");
                }
                head.write(in.get());
            }
            // The status line alone: a refusal's body (403 with its length) is read as lines below.
            String first = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
            String[] f = first.split(" ", 3);
            try {
                this.status = Integer.parseInt(f.length > 1 ? f[1] : "");
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP answer: " + first);
            }
        }

        /** The answer's status code. */
        int status() {
            return status;
        }

        /** The body's next line without its end (LF or CRLF); null at the end of the stream. */
        String readLine() throws IOException {
            line.reset();
            while (true) {
                if (!in.hasRemaining() && !fill()) {
                    return line.size() == 0 ? null : text(line);
                }
                byte b = in.get();
                if (b == '\n') {
                    return text(line);
                }
                line.write(b);
            }
        }

        private static String text(ByteArrayOutputStream bytes) {
            String s = bytes.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        /** Reads more; false at the end of the stream. */
        private boolean fill() throws IOException {
            in.clear();
            int n = ch.read(in);
            in.flip();
            return n > 0 || n == 0 && fill();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** Whether {@code raw} holds the head and as many body bytes as its Content-Length says. */
    private static boolean complete(byte[] raw) {
        int head = headEnd(raw);
        if (head < 0) {
            return false;
        }
        String length = header(new String(raw, 0, head, StandardCharsets.ISO_8859_1), "content-length");
        if (length != null) {
            try {
                return raw.length - head >= Integer.parseInt(length);
            } catch (NumberFormatException e) {
                return true; // parse() says what is wrong with it
            }
        }
        return false; // no length: the end of the stream ends it
    }

    /** The status code and the body of a raw HTTP/1.1 answer with a Content-Length (what the API sends). */
    static Response parse(byte[] raw) throws IOException {
        int headEnd = headEnd(raw);
        String text = new String(raw, 0, Math.max(headEnd, 0), StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.") || headEnd < 0) {
            throw new IOException("not an HTTP answer (" + raw.length + " bytes)");
        }
        String[] head = text.strip().split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine.length > 1 ? statusLine[1] : "");
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + head[0]);
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd, raw.length);
        String type = header(text, "content-type");
        String value = header(text, "content-length");
        if (value != null) {
            int length;
            try {
                length = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + value);
            }
            if (body.length < length) {
                throw new IOException("the answer ended after " + body.length + " of " + length + " bytes");
            }
            return new Response(status, new String(body, 0, length, StandardCharsets.UTF_8), type == null ? "" : type);
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8), type == null ? "" : type);
    }

    /** The value of the header {@code name} in {@code head} (the status line and headers), stripped; null without one. */
    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            String[] kv = line.split(":", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase(name)) {
                return kv[1].strip();
            }
        }
        return null;
    }

    /** The offset just past the blank line that ends the head; -1 before it has come. */
    private static int headEnd(byte[] raw) {
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}
