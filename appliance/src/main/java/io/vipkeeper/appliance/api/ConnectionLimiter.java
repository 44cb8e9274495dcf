package io.vipkeeper.appliance.api;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.DomainSocketChannel;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.ApiSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps the status API's open connections in total ({@code api.max-connections}) and per client
 * address ({@code api.max-connections-per-client}). It sits on the listening socket, before Netty's
 * acceptor: a connection over a cap is reset as soon as it is accepted, before it is registered or
 * read, so a flood costs the daemon one file descriptor for a moment per connection and never more
 * than the caps; the descriptors the daemon needs to fork scripts and open checks stay free.
 *
 * <p>Reset rather than answered with 503: a 503 would keep the descriptor until the client sent its
 * request and took the answer (closing with the request unread resets the connection anyway, so the
 * client would often never see the 503), and holding descriptors is what the caps prevent. The
 * reset (SO_LINGER 0) also leaves no TIME_WAIT behind per refused connection. Clients see
 * "connection reset by peer"; the count is in {@code vipkeeper_api_refused_connections_total}.
 *
 * <p>Every accepted connection holds a slot until it closes, whatever it serves: a request/response
 * connection until its idle timeout at most, a future event stream for as long as it is open.
 * Caps are read from the settings in force at each connection, so a reload applies to new ones.
 * Accepts run on the listening socket's event loop; releases on any connection's. The TCP listener
 * and the control socket have one limiter each, so what comes over TCP never fills the socket's.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    /** The cap a connection was refused by; {@link #label} is the metric's {@code cap} label. */
    enum Cap {
        TOTAL("total", "max-connections"),
        PER_CLIENT("per-client", "max-connections-per-client");

        final String label;
        final String key;

        Cap(String label, String key) {
            this.label = label;
            this.key = key;
        }
    }

    /**
     * A control socket peer whose credentials cannot be read: counted as one client. A peer with
     * credentials counts as its uid, so one local user filling their allowance does not lock
     * root (or anyone else) out of the socket.
     */
    static final InetAddress LOCAL_SOCKET = localSocket();

    private final Supplier<ApiSettings> settings;
    private final StatusMetrics metrics;
    private final RefusalLog refusals = new RefusalLog(RefusalLog.INTERVAL, "refused");
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    ConnectionLimiter(Supplier<ApiSettings> settings, StatusMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        InetAddress client;
        if (child.remoteAddress() instanceof InetSocketAddress remote) {
            client = remote.getAddress();
        } else if (child instanceof DomainSocketChannel local) {
            client = localPeer(local);
        } else {
            // No IP peer to count it against (none when the socket is already gone): not served.
            child.unsafe().closeForcibly();
            return;
        }
        ApiSettings s = settings.get();
        Cap over = admit(client, s);
        if (over == null) {
            metrics.connectionOpened();
            child.closeFuture().addListener(f -> {
                release(client);
                metrics.connectionClosed();
            });
            ctx.fireChannelRead(child);
            return;
        }
        reset(child);
        metrics.connectionRefused(over);
        int cap = over == Cap.TOTAL ? s.maxConnections() : s.maxConnectionsPerClient();
        refusals.refused(ctx.executor(), Addresses.format(client), cap + " open "
                + (over == Cap.TOTAL ? "in total" : "from that address") + " (api." + over.key + ")");
    }

    /** Takes a slot for {@code client}, or says which cap is full. Only ever called on one thread. */
    private Cap admit(InetAddress client, ApiSettings s) {
        if (open.incrementAndGet() > s.maxConnections()) {
            open.decrementAndGet();
            return Cap.TOTAL;
        }
        if (perClient.merge(client, 1, Integer::sum) > s.maxConnectionsPerClient()) {
            release(client);
            return Cap.PER_CLIENT;
        }
        return null;
    }

    private void release(InetAddress client) {
        perClient.computeIfPresent(client, (a, n) -> n == 1 ? null : n - 1);
        open.decrementAndGet();
    }

    /** Open connections now (tests). */
    int open() {
        return open.get();
    }

    private static void reset(Channel child) {
        try {
            child.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // Closed without the reset then: still closed at once.
        }
        child.unsafe().closeForcibly();
    }

    /** The "client" a control socket connection counts as: 0.0.0.0 for root, 0.x.y.z for uid x.y.z. */
    static InetAddress localPeer(DomainSocketChannel ch) {
        try {
            int uid = ((io.netty.channel.epoll.EpollDomainSocketChannel) ch).peerCredentials().uid();
            return InetAddress.getByAddress("uid-" + uid, new byte[] {0, (byte) (uid >>> 16), (byte) (uid >>> 8), (byte) uid});
        } catch (ClassCastException | java.io.IOException e) {
            return LOCAL_SOCKET;
        }
    }

    private static InetAddress localSocket() {
        try {
            return InetAddress.getByAddress("control-socket", new byte[] {0, (byte) 255, (byte) 255, (byte) 255});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
