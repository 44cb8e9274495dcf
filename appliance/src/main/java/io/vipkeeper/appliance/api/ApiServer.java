package io.vipkeeper.appliance.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import java.net.InetSocketAddress;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.ApiSettings;
import io.vipkeeper.appliance.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status API's HTTP listener: JSON status, Prometheus metrics, health and the status page
 * (see {@link ApiHandler}), served on the caller's event loop group (the daemon gives it one of its
 * own), in TLS when {@code api.tls} is set ({@link Tls}). Read-only but for the runtime backend orders
 * ({@link BackendApi}, who may give them: {@link Caller});
 * requests larger than {@link #MAX_REQUEST_BYTES} are cut off, connections over
 * the caps are reset ({@link ConnectionLimiter}), a connection's next request is read only once its
 * previous answer is out ({@link OneRequestAtATime}) and idle or stalled ones are closed
 * ({@link IdleTimeout}), by the {@code api} settings in force when a connection comes.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** A GET carries no body; headers beyond this are no status client's. */
    static final int MAX_REQUEST_BYTES = 8192;
    /**
     * The idle timeout's name in a connection's pipeline. GET /events ({@link EventStream}) takes
     * its stream out of the timeout with {@code pipeline().remove(IDLE)} when the stream starts; the
     * stream keeps its slot in the {@link ConnectionLimiter} until it closes, so open streams count
     * against both caps.
     */
    static final String IDLE = "idle";
    /**
     * Bytes read from a connection at a time. Auto-read is off, so this bounds what one read brings
     * in: the requests a client pipelined into it wait decoded (a few hundred bytes each) until
     * their turn, at most ~120 of the shortest per connection. Larger requests take several reads.
     */
    static final int READ_BYTES = 4096;
    /**
     * The kernel's send buffer per connection (it doubles it), instead of autotuning up to 4 MB:
     * the answers a client that does not read gets before its connection stalls are produced at
     * the expense of everyone else on the loop, ~8,000 small /status answers per connection with
     * autotuning. A reading client of a large answer still gets it at 64 KB per round trip.
     */
    static final int SEND_BUFFER_BYTES = 32 * 1024;
    /** How long {@link #close} waits for the listener to close: a hung loop must not hang the stop. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final EventLoopGroup group;
    private final StatusMetrics metrics;
    private final ApiHandler handler;
    /** Runtime backend orders, one at a time, off the API's loop. */
    private final java.util.concurrent.ExecutorService orders;
    private final OneRequestAtATime pacing = new OneRequestAtATime();
    private final Supplier<ApiSettings> settings;
    private final ConnectionLimiter limiter;
    /**
     * The control socket's own caps: with one limiter for both, 256 event streams held open over
     * TCP (reads need no token) filled the total and locked root out of the socket.
     */
    private final ConnectionLimiter localLimiter;
    private final RefusalLog stalls = new RefusalLog(RefusalLog.INTERVAL, "closed");
    private final RefusalLog tlsFailures = new RefusalLog(RefusalLog.INTERVAL, "dropped");
    private final Tls tls = new Tls();
    private volatile Channel channel;
    private volatile Channel local;
    private volatile Path localPath;

    /** A server reading {@code inputs}; nothing listens before {@link #start}. */
    public ApiServer(EventLoopGroup group, StatusInputs inputs) {
        this(group, inputs, Clock.systemUTC(), System::nanoTime);
    }

    /** The same on other clocks (tests: routers on a virtual clock); see {@link StatusAssembler}. */
    ApiServer(EventLoopGroup group, StatusInputs inputs, Clock wall, LongSupplier routerNanos) {
        this.group = group;
        StatusAssembler status = new StatusAssembler(inputs, wall, routerNanos);
        this.metrics = new StatusMetrics(status::snapshot);
        inputs.events().ifPresent(metrics::watch);
        this.orders = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "backend-orders");
            t.setDaemon(true);
            return t;
        });
        this.handler = new ApiHandler(status, new DaemonHealth(inputs, wall), metrics,
                new BackendApi(status, metrics, ControlAccess.SYSTEM, orders),
                new ReloadApi(status, metrics, ControlAccess.SYSTEM, orders),
                new VrrpApi(status, metrics, ControlAccess.SYSTEM, orders));
        this.settings = () -> inputs.settings().api();
        this.limiter = new ConnectionLimiter(settings, metrics);
        this.localLimiter = new ConnectionLimiter(settings, metrics);
    }

    /**
     * Listens on {@code listen}, with the socket created on one of the group's threads (so in
     * their network namespace).
     *
     * @throws IllegalStateException naming the address and the reason when the bind fails, or when
     *     already started
     */
    public void start(InetSocketAddress listen) {
        if (channel != null) {
            throw new IllegalStateException("status API: already listening on " + Addresses.format(localAddress()));
        }
        ServerBootstrap b = new ServerBootstrap().group(group).channel(serverChannel(group))
                // A restart binds again at once even while old connections linger in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES);
        served(b, true);
        // The listening socket is made on the group's thread, not the caller's: sockets belong to
        // the network namespace of the thread that creates them, and the loop's is the one served.
        ChannelFuture bound = group.next().submit(() -> b.bind(listen)).syncUninterruptibly().getNow()
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IllegalStateException("status API: cannot listen on "
                    + Addresses.format(listen) + ": " + cause.getMessage(), cause);
        }
        channel = bound.channel();
        log.info("status API on {}://{}/", settings.get().tls().isPresent() ? "https" : "http",
                Addresses.format(localAddress()));
    }

    /**
     * Serves the same API on the unix socket {@code socket} as well (the control socket the CLI
     * finds in the run directory, with no config to read): a stale file there is replaced, the
     * socket is left readable and writable by every local user (reads are open as on loopback;
     * writes check the peer's credentials, see {@link BackendApi}), and {@link #close} removes it. Its
     * connections have caps of their own, the same numbers as TCP's but counted apart (each local
     * user as one client), so nothing sent over TCP can fill them. Needs the epoll transport.
     *
     * @throws IllegalStateException naming the path and the reason when the bind fails
     */
    public void listenLocal(Path socket) {
        if (!(group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class))) {
            throw new IllegalStateException("control socket " + socket + ": needs the epoll transport");
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new IllegalStateException("control socket " + socket + ": cannot remove the old one: " + e.getMessage(), e);
        }
        ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class);
        served(b, false);
        ChannelFuture bound = b.bind(new DomainSocketAddress(socket.toFile())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("control socket: cannot listen on " + socket + ": " + bound.cause().getMessage(), bound.cause());
        }
        local = bound.channel();
        localPath = socket;
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            log.warn("control socket {}: cannot open it to local users: {}", socket, e.getMessage());
        }
        log.info("control socket on {}", socket);
    }

    /**
     * The caps, the idle timeout, the codec, the pacing and the handler on every accepted connection;
     * TLS first on a TCP one ({@code tcp}) when {@code api.tls} is set when it comes.
     */
    private void served(ServerBootstrap b, boolean tcp) {
        b.handler(tcp ? limiter : localLimiter)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BYTES))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ApiSettings api = settings.get();
                        Duration idle = api.idleTimeout();
                        if (tcp && api.tls().isPresent()) {
                            try {
                                ch.pipeline().addLast(tls.handler(api.tls().get(), ch.alloc()));
                            } catch (IllegalStateException e) {
                                tlsFailures.refused(ch.eventLoop(), client(ch), e.getMessage());
                                ch.close();
                                return;
                            }
                        }
                        ch.pipeline().addLast(IDLE, new IdleTimeout(idle, c -> stalled(c, idle)))
                                .addLast(new HttpServerCodec(), new CountingAggregator(metrics),
                                        new FlowControlHandler(), pacing, handler);
                    }
                });
    }

    /** Where the server listens (the actual port when started on port 0); null before start. */
    public InetSocketAddress localAddress() {
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    /**
     * Stops listening; the event loop group stays the caller's. Waits {@link #CLOSE_WAIT} at most:
     * a loop that hangs (it did once, out of direct memory) must not keep the daemon from stopping.
     */
    @Override
    public void close() {
        orders.shutdown();
        closeTcp();
        if (local != null) {
            closeWithin(local, localPath.toString());
            local = null;
            try {
                Files.deleteIfExists(localPath);
            } catch (IOException e) {
                log.warn("control socket {}: cannot remove it: {}", localPath, e.getMessage());
            }
        }
    }

    /** Stops listening on TCP only (api.listen changed or went away); the control socket stays. */
    public void closeTcp() {
        if (channel != null) {
            closeWithin(channel, Addresses.format(localAddress()));
            channel = null;
        }
    }

    private static void closeWithin(Channel listener, String where) {
        if (!listener.close().awaitUninterruptibly(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("status API: the listener on {} did not close within {} ms; stopping without it", where, CLOSE_WAIT.toMillis());
        }
    }

    /** Whether the API listens on TCP. */
    public boolean listensOnTcp() {
        return channel != null;
    }

    /** The client's address as log lines say it. */
    private static String client(Channel c) {
        return c.remoteAddress() instanceof InetSocketAddress a ? Addresses.format(a.getAddress()) : "?";
    }

    private void stalled(Channel c, Duration idle) {
        metrics.connectionStalled();
        stalls.refused(c.eventLoop(), client(c), "its answer lay untaken for api.idle-timeout ("
                + Durations.format(idle) + "): a client that stopped reading, or pipelined requests without reading");
    }

    /** Open connections now (tests). */
    int openConnections() {
        return limiter.open() + localLimiter.open();
    }

    /** The API's metrics (the daemon may read the bad-request count). */
    public StatusMetrics metrics() {
        return metrics;
    }

    private static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class) ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
    }

    /**
     * The aggregator, counting requests it refuses as too large among the bad requests and closing
     * their connections (Netty's default keeps a keep-alive connection to read the body it discards).
     */
    private static final class CountingAggregator extends HttpObjectAggregator {
        private final StatusMetrics metrics;

        CountingAggregator(StatusMetrics metrics) {
            super(MAX_REQUEST_BYTES);
            this.metrics = metrics;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            metrics.badRequest();
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.EMPTY_BUFFER);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
