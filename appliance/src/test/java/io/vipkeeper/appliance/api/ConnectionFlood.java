package io.vipkeeper.appliance.api;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many silent TCP connections to one listener from chosen loopback source addresses (127.0.0.N),
 * opened from a thread inside a network namespace the test made, and a probe that tells without
 * blocking which of them the server has reset or closed. For the status API's connection caps
 * (the in-process test and the daemon's). Also a one-shot GET from a given source address.
 */
public final class ConnectionFlood implements AutoCloseable {
    private final List<SocketChannel> connections;

    private ConnectionFlood(List<SocketChannel> connections) {
        this.connections = connections;
    }

    /**
     * Opens {@code perSource} connections from each of {@code sources} in turn (all of the first
     * source's, then the next's), inside {@code netns}; each sends nothing.
     */
    public static ConnectionFlood open(String netns, InetSocketAddress target, List<String> sources, int perSource)
            throws Exception {
        List<SocketChannel> opened = new ArrayList<>();
        try {
            NamespaceThreads.call(netns, () -> {
                for (String source : sources) {
                    for (int i = 0; i < perSource; i++) {
                        opened.add(connect(source, target));
                    }
                }
                return null;
            });
        } catch (Exception e) {
            new ConnectionFlood(opened).close();
            throw e;
        }
        return new ConnectionFlood(opened);
    }

    private static SocketChannel connect(String source, InetSocketAddress target) throws IOException {
        SocketChannel c = SocketChannel.open();
        try {
            c.bind(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(source), 0));
            c.connect(target);
            c.configureBlocking(false);
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /** How many connections were opened. */
    public int size() {
        return connections.size();
    }

    /** How many the server has reset or closed by now (a read gives EOF or an error at once). */
    public int closedByServer() {
        int closed = 0;
        ByteBuffer buf = ByteBuffer.allocate(1024);
        for (SocketChannel c : connections) {
            if (!c.isOpen()) {
                closed++;
                continue;
            }
            try {
                buf.clear();
                if (c.read(buf) < 0) {
                    closed++;
                    c.close();
                }
            } catch (IOException e) {
                closed++;
                closeQuietly(c);
            }
        }
        return closed;
    }

    /** Closes every connection from the client side. */
    @Override
    public void close() {
        connections.forEach(ConnectionFlood::closeQuietly);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** An HTTP answer: status code and body. */
    public record Answer(int status, String body) {
    }

    /**
     * {@code GET path} from {@code source} inside {@code netns}, with Connection: close; an
     * IOException when the server resets the connection.
     */
    public static Answer get(String netns, String source, InetSocketAddress target, String path) throws Exception {
        return get(netns, source, target, path, 5000);
    }

    /** The same, waiting at most {@code timeoutMillis} for the answer. */
    public static Answer get(String netns, String source, InetSocketAddress target, String path, int timeoutMillis)
            throws Exception {
        return NamespaceThreads.call(netns, () -> {
            try (SocketChannel c = SocketChannel.open()) {
                c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                c.bind(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(source), 0));
                c.connect(target);
                c.socket().setSoTimeout(timeoutMillis);
                c.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                String text = new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                    throw new IOException("not an HTTP answer: " + text);
                }
                return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(end + 4));
            }
        });
    }
}
