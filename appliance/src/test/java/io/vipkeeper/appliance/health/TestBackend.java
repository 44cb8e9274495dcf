package io.vipkeeper.appliance.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Backends for the health-check lab, run as their own process inside the namespace and killed to
 * simulate crashes. Prints "ready" once listening. Usage:
 * <ul>
 * <li>{@code http ADDR PORT STATUS BODY [HOST]}: answers every request with STATUS and BODY (421 if
 *     HOST is given and the Host header is another)</li>
 * <li>{@code hang ADDR PORT}: accepts connections and never answers</li>
 * <li>{@code udp ADDR PORT}: answers every datagram with "pong " and the datagram</li>
 * <li>{@code many ADDR-PREFIX COUNT FIRST-PORT PORTS}: listens on COUNT addresses ADDR-PREFIX.1.. times
 *     PORTS ports from FIRST-PORT, accepting and closing (the benchmark's 5,000 real servers)</li>
 * </ul>
 */
public final class TestBackend {
    private TestBackend() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "http" -> http(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4],
                    args.length > 5 ? args[5] : null);
            case "hang" -> hang(args[1], Integer.parseInt(args[2]));
            case "udp" -> udp(args[1], Integer.parseInt(args[2]));
            case "many" -> many(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("unknown backend " + args[0]);
        }
    }

    private static void http(String address, int port, int status, String body, String host) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 50);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", ex -> {
            boolean hostOk = host == null || host.equals(ex.getRequestHeaders().getFirst("Host"));
            ex.sendResponseHeaders(hostOk ? status : 421, bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        System.out.println("ready");
    }

    private static void hang(String address, int port) throws IOException, InterruptedException {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName(address))) {
            System.out.println("ready");
            while (true) {
                held.add(s.accept());
            }
        }
    }

    private static void udp(String address, int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port))) {
            System.out.println("ready");
            byte[] buf = new byte[2048];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                byte[] reply = ("pong " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            }
        }
    }

    /** Listening sockets whose backlog the kernel fills and this loop drains with accept and close. */
    private static void many(String prefix, int count, int firstPort, int ports) throws Exception {
        java.nio.channels.Selector selector = java.nio.channels.Selector.open();
        for (int a = 1; a <= count; a++) {
            for (int p = 0; p < ports; p++) {
                java.nio.channels.ServerSocketChannel ch = java.nio.channels.ServerSocketChannel.open();
                ch.bind(new InetSocketAddress(prefix + a, firstPort + p), 1024);
                ch.configureBlocking(false);
                ch.register(selector, java.nio.channels.SelectionKey.OP_ACCEPT);
            }
        }
        System.out.println("ready");
        while (true) {
            selector.select();
            for (java.nio.channels.SelectionKey k : selector.selectedKeys()) {
                java.nio.channels.SocketChannel c;
                while ((c = ((java.nio.channels.ServerSocketChannel) k.channel()).accept()) != null) {
                    c.close();
                }
            }
            selector.selectedKeys().clear();
        }
    }
}
