package io.vipkeeper.appliance.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
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
import java.net.InetSocketAddress;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.ApiSettings;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status API's HTTP listener: JSON status, Prometheus metrics, health and the status page
 * (see {@link ApiHandler}), served on the caller's event loop group (the daemon gives it one of its
 * own). Read-only; requests larger than {@link #MAX_REQUEST_BYTES} are cut off, connections over
 * the caps are reset ({@link ConnectionLimiter}) and idle ones closed ({@link IdleTimeout}), by the
 * {@code api} settings in force when a connection comes.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** A GET carries no body; headers beyond this are no status client's. */
    static final int MAX_REQUEST_BYTES = 8192;
    /**
     * The idle timeout's name in a connection's pipeline. GET /events (server-sent events, to come)
     * takes its stream out of the timeout with {@code pipeline().remove(IDLE)} when the stream
     * starts; the stream keeps its slot in the {@link ConnectionLimiter} until it closes, so open
     * streams count against both caps.
     */
    static final String IDLE = "idle";

    private final EventLoopGroup group;
    private final StatusMetrics metrics;
    private final ApiHandler handler;
    private final Supplier<ApiSettings> settings;
    private final ConnectionLimiter limiter;
    private volatile Channel channel;

    /** A server reading {@code inputs}; nothing listens before {@link #start}. */
    public ApiServer(EventLoopGroup group, StatusInputs inputs) {
        this(group, inputs, Clock.systemUTC(), System::nanoTime);
    }

    /** The same on other clocks (tests: routers on a virtual clock); see {@link StatusAssembler}. */
    ApiServer(EventLoopGroup group, StatusInputs inputs, Clock wall, LongSupplier routerNanos) {
        this.group = group;
        StatusAssembler status = new StatusAssembler(inputs, wall, routerNanos);
        this.metrics = new StatusMetrics(status::snapshot);
        this.handler = new ApiHandler(status, new DaemonHealth(inputs, wall), metrics);
        this.settings = () -> inputs.settings().api();
        this.limiter = new ConnectionLimiter(settings, metrics);
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
                .handler(limiter)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(IDLE, new IdleTimeout(settings.get().idleTimeout()))
                                .addLast(new HttpServerCodec(), new CountingAggregator(metrics), handler);
                    }
                });
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
        log.info("status API on http://{}/", Addresses.format(localAddress()));
    }

    /** Where the server listens (the actual port when started on port 0); null before start. */
    public InetSocketAddress localAddress() {
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    /** Stops listening; the event loop group stays the caller's. */
    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
            channel = null;
        }
    }

    /** Open connections now (tests). */
    int openConnections() {
        return limiter.open();
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
