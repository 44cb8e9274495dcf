package io.vipkeeper.appliance.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;

/** Channel classes that fit the event loop group the monitor was given (epoll or NIO). */
final class Transports {
    private final boolean epoll;

    Transports(EventLoopGroup group) {
        this.epoll = group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class);
    }

    /** A TCP client bootstrap on {@code loop} for checks that time out after {@code timeout}. */
    Bootstrap tcp(EventLoop loop, Duration timeout) {
        Class<? extends SocketChannel> type = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        return new Bootstrap().group(loop).channel(type)
                // The attempt's own timer ends the check; the kernel connect only needs to outlast it.
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis() + 1000))
                // A check's connection is closed at once; RST instead of FIN keeps TIME_WAIT out of the table.
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.AUTO_READ, true);
    }

    /** A UDP bootstrap on {@code loop}. */
    Bootstrap udp(EventLoop loop) {
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        return new Bootstrap().group(loop).channel(type);
    }
}
