package io.vipkeeper.appliance.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.vipkeeper.appliance.config.HealthCheck.Udp;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.Native;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Sends one datagram on a connected socket (so the kernel reports ICMP port unreachable to it), as
 * keepalived's UDP_CHECK: with {@code expect} the reply must contain it; without, a refusal is down
 * and a reply or silence until the timeout is up.
 */
final class UdpProbe implements Probe {
    private final Transports transports;
    private final InetSocketAddress target;
    private final Duration timeout;
    private final byte[] payload;
    private final byte[] expect;

    UdpProbe(Transports transports, InetSocketAddress target, Duration timeout, Udp udp) {
        this.transports = transports;
        this.target = target;
        this.timeout = timeout;
        this.payload = udp.payload().toArray();
        this.expect = udp.expect().map(b -> b.toArray()).orElse(null);
    }

    @Override
    public void run(EventLoop loop, Consumer<CheckResult> done) {
        CheckResult silence = expect == null ? CheckResult.up("no reply, not refused")
                : CheckResult.down(Failures.timeout(timeout) + " without a reply");
        Attempt attempt = new Attempt(loop, timeout, silence, done);
        ChannelFuture f = transports.udp(loop).handler(new ReplyHandler(attempt)).connect(target);
        attempt.attach(f.channel());
        f.addListener((ChannelFuture c) -> {
            if (!c.isSuccess()) {
                attempt.fail(c.cause());
                return;
            }
            if (payload.length == 0 && c.channel() instanceof EpollDatagramChannel e) {
                sendEmpty(e, attempt);
                return;
            }
            // Netty drops a zero-length datagram unwritten; without epoll one zero byte stands in.
            byte[] data = payload.length == 0 ? new byte[1] : payload;
            c.channel().writeAndFlush(Unpooled.wrappedBuffer(data)).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    attempt.fail(w.cause());
                }
            });
        });
    }

    /**
     * An empty payload (the default, keepalived's UDP_CHECK without payload) is an empty datagram,
     * sent on the connected socket itself: Netty skips zero-length writes, and a check that sends
     * nothing could never see the port refused and would stay up.
     */
    private static void sendEmpty(EpollDatagramChannel channel, Attempt attempt) {
        try {
            Native.check(Native.LIBC.sendto(channel.fd().intValue(), new byte[0], 0, LinuxConstants.MSG_DONTWAIT,
                    null, 0), "send");
        } catch (RuntimeException e) {
            attempt.fail(e);
        }
    }

    /** Judges the first reply; a refusal arrives as an exception on the connected socket. */
    private final class ReplyHandler extends ChannelInboundHandlerAdapter {
        private final Attempt attempt;

        ReplyHandler(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf data = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
                if (expect == null) {
                    attempt.finish(CheckResult.up("replied"));
                } else if (ByteBufUtil.indexOf(Unpooled.wrappedBuffer(expect), data) >= 0) {
                    attempt.finish(CheckResult.up("reply matches"));
                } else {
                    attempt.fail("reply does not match");
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.fail(cause);
        }
    }
}
