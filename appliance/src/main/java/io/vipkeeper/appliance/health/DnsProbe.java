package io.vipkeeper.appliance.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.vipkeeper.appliance.config.HealthCheck.Dns;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/** A DNS query over UDP; up when answered NOERROR with at least one record of the asked type. */
final class DnsProbe implements Probe {
    private final Transports transports;
    private final InetSocketAddress target;
    private final Duration timeout;
    private final Dns dns;

    DnsProbe(Transports transports, InetSocketAddress target, Duration timeout, Dns dns) {
        this.transports = transports;
        this.target = target;
        this.timeout = timeout;
        this.dns = dns;
    }

    @Override
    public void run(EventLoop loop, Consumer<CheckResult> done) {
        Attempt attempt = new Attempt(loop, timeout, CheckResult.down(Failures.timeout(timeout)), done);
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        ChannelFuture f = transports.udp(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                        new SimpleChannelInboundHandler<DatagramDnsResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse r) {
                                if (r.id() == id) {
                                    attempt.finish(DnsQueries.judge(r, dns));
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                attempt.fail(cause);
                            }
                        });
            }
        }).connect(target);
        attempt.attach(f.channel());
        f.addListener((ChannelFuture c) -> {
            if (!c.isSuccess()) {
                attempt.fail(c.cause());
                return;
            }
            c.channel().writeAndFlush(DnsQueries.query(id, target, dns)).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    attempt.fail(w.cause());
                }
            });
        });
    }
}
