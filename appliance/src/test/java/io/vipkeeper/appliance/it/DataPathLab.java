package io.vipkeeper.appliance.it;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data-path lab of {@link NftlbCompareBench}, three namespaces joined by two veth links in
 * 198.18.232.0/22: a client (198.18.232.2, routing {@link CompareTable#VIP_NET}.0/24 to the
 * balancer), the balancer (198.18.232.1 and 198.18.233.254, forwarding; the engine under test
 * programs it) and one backend namespace holding every backend address of {@link CompareTable}
 * with an HTTP responder (Netty, epoll) on the ports of the services the client targets. A run is
 * wrk opening a new connection per request ({@code Connection: close}); its CPU cost is that of
 * wrk, the responder's threads and ksoftirqd, which between them carry the forwarding (veth hands
 * packets on in the sender's softirq, charged to the sending task on this kernel's tick
 * accounting).
 */
final class DataPathLab implements AutoCloseable {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final AttributeKey<Boolean> SENT = AttributeKey.valueOf("sent");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(m?s)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\s*$");
    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Thread> responderThreads = new CopyOnWriteArrayList<>();
    private EventLoopGroup responders;

    /** One wrk run: connections answered (200), failed, seconds, and CPU nanoseconds spent. */
    record Run(long answered, long failed, double seconds, long cpuNanos) {
        double perSecond() {
            return answered / seconds;
        }

        double cpuMicrosPerConnection() {
            return cpuNanos / 1e3 / Math.max(1, answered);
        }
    }

    private DataPathLab(String prefix) {
        this.prefix = prefix;
    }

    /** Builds the namespaces with {@link CompareTable#MAX} backend addresses, responders on {@code ports}. */
    static DataPathLab create(Path dir, int... ports) throws Exception {
        NamespaceThreads.removeLeftovers("vkcmp", '-');
        DataPathLab lab = new DataPathLab("vkcmp" + Long.toHexString(ProcessHandle.current().pid()) + "-");
        try {
            lab.build(dir, ports);
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build(Path dir, int... ports) throws Exception {
        for (String name : List.of("client", "lb", "web")) {
            Lab.sh("ip", "netns", "add", ns(name));
            namespaces.add(ns(name));
            Lab.sh("ip", "-n", ns(name), "link", "set", "lo", "up");
        }
        Lab.sh("ip", "link", "add", "eth0", "netns", ns("client"), "type", "veth", "peer", "name", "c0", "netns", ns("lb"));
        Lab.sh("ip", "link", "add", "eth0", "netns", ns("web"), "type", "veth", "peer", "name", "w0", "netns", ns("lb"));
        StringBuilder web = new StringBuilder();
        for (int b = 0; b < CompareTable.MAX; b++) {
            web.append("addr add ").append(CompareTable.backend(b)).append("/24 dev eth0\n");
        }
        web.append("link set eth0 up\n");
        batch(dir, "web", web.toString());
        batch(dir, "lb", "addr add 198.18.232.1/24 dev c0\naddr add " + CompareTable.BACKEND_NET + ".254/24 dev w0\n"
                + "link set c0 up\nlink set w0 up\n");
        batch(dir, "client", "addr add 198.18.232.2/24 dev eth0\nlink set eth0 up\n"
                + "route add " + CompareTable.VIP_NET + ".0/24 via 198.18.232.1\n");
        Lab.sh("ip", "netns", "exec", ns("lb"), "sysctl", "-qw", "net.ipv4.ip_forward=1");
        // Every connection leaves a conntrack entry; at thousands per second the default 120 s of
        // TIME_WAIT would fill the shared table, so closed connections go after a second.
        Lab.sh("ip", "netns", "exec", ns("lb"), "sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_timeout_time_wait=1",
                "net.netfilter.nf_conntrack_tcp_timeout_close_wait=1", "net.netfilter.nf_conntrack_tcp_timeout_fin_wait=1");
        Lab.sh("ip", "netns", "exec", ns("client"), "sysctl", "-qw", "net.ipv4.ip_local_port_range=1024 65000");
        Lab.sh("ip", "netns", "exec", ns("web"), "sysctl", "-qw", "net.core.somaxconn=4096", "net.ipv4.tcp_tw_reuse=1");
        ThreadFactory inWeb = NamespaceThreads.factory(ns("web"), "responder");
        responders = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = inWeb.newThread(r);
            responderThreads.add(t);
            return t;
        }, EpollIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(responders).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096).childHandler(new Respond());
        for (int port : ports) {
            // Netty opens the socket on the calling thread: bind from inside the backend namespace.
            NamespaceThreads.call(ns("web"), () -> b.bind(port).sync());
        }
    }

    /** Answers the first read of each connection with 200 "ok" and closes it (a new connection per request). */
    @ChannelHandler.Sharable
    private static final class Respond extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            Channel ch = ctx.channel();
            if (ch.isActive() && !Boolean.TRUE.equals(ch.attr(SENT).get())) {
                ch.attr(SENT).set(Boolean.TRUE);
                ByteBuf out = Unpooled.wrappedBuffer(RESPONSE);
                ch.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void batch(Path dir, String node, String commands) throws Exception {
        Path file = Files.writeString(dir.resolve("ip-" + node + ".batch"), commands);
        Lab.sh("ip", "-n", ns(node), "-batch", file.toString());
    }

    /** The namespace of {@code client}, {@code lb} or {@code web}. */
    String ns(String name) {
        return prefix + name;
    }

    /** Whether one request through service {@code s}'s VIP is answered (the engine's table is in place). */
    boolean answers(int s) throws Exception {
        try {
            String out = Lab.sh("ip", "netns", "exec", ns("client"), "wrk", "-t1", "-c1", "-d1s", "-H", "Connection: close",
                    "http://" + CompareTable.vip(s) + "/");
            Matcher m = REQUESTS.matcher(out);
            return m.find() && Long.parseLong(m.group(1)) > 0 && !NON_2XX.matcher(out).find() && !ERRORS.matcher(out).find();
        } catch (IOException e) {
            return false;
        }
    }

    /** wrk from the client to service {@code s}'s VIP for {@code seconds} with {@code connections} in flight. */
    Run run(int s, int seconds, int connections) throws Exception {
        long soft = ksoftirqdTicks();
        long responder = responderNanos();
        String out = Lab.sh("ip", "netns", "exec", ns("client"), "bash", "-c",
                "wrk -t1 -c" + connections + " -d" + seconds + "s -H 'Connection: close' http://" + CompareTable.vip(s) + "/; times");
        long responderSpent = responderNanos() - responder;
        long softSpent = ksoftirqdTicks() - soft;
        Matcher m = REQUESTS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no wrk summary in: " + out);
        }
        long requests = Long.parseLong(m.group(1));
        double secs = Double.parseDouble(m.group(2)) / (m.group(3).equals("ms") ? 1000 : 1);
        long failed = 0;
        Matcher e = ERRORS.matcher(out);
        if (e.find()) {
            for (int g = 1; g <= 4; g++) {
                failed += Long.parseLong(e.group(g));
            }
        }
        Matcher bad = NON_2XX.matcher(out);
        long non2xx = bad.find() ? Long.parseLong(bad.group(1)) : 0;
        Matcher t = TIMES.matcher(out.strip());
        if (!t.find()) {
            throw new IllegalStateException("no CPU times in: " + out);
        }
        long wrkNanos = (long) ((Long.parseLong(t.group(1)) * 60 + Double.parseDouble(t.group(2)) + Long.parseLong(t.group(3)) * 60
                + Double.parseDouble(t.group(4))) * 1e9);
        long tickNanos = 1_000_000_000L / 100; // /proc/PID/stat counts USER_HZ ticks
        return new Run(requests - non2xx, failed + non2xx, secs, wrkNanos + responderSpent + softSpent * tickNanos);
    }

    private long responderNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : responderThreads) {
            sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
        }
        return sum;
    }

    /** utime + stime of every ksoftirqd thread, in USER_HZ ticks. */
    private static long ksoftirqdTicks() throws Exception {
        long ticks = 0;
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : dirs) {
                try {
                    if (!Files.readString(p.resolve("comm")).startsWith("ksoftirqd/")) {
                        continue;
                    }
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException gone) {
                    // a process that ended while we listed /proc
                }
            }
        }
        return ticks;
    }

    @Override
    public void close() {
        if (responders != null) {
            responders.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        for (String ns : namespaces) {
            try {
                Lab.sh("ip", "netns", "del", ns);
            } catch (Exception e) {
                System.err.println("lab: cannot delete " + ns + ": " + e.getMessage());
            }
        }
    }
}
