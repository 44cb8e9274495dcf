package io.vipkeeper.appliance.health;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/** Up when a TCP connection to the target is established within the timeout (keepalived's TCP_CHECK). */
final class TcpProbe implements Probe {
    private final Transports transports;
    private final InetSocketAddress target;
    private final Duration timeout;

    TcpProbe(Transports transports, InetSocketAddress target, Duration timeout) {
        this.transports = transports;
        this.target = target;
        this.timeout = timeout;
    }

    @Override
    public void run(EventLoop loop, Consumer<CheckResult> done) {
        Attempt attempt = new Attempt(loop, timeout, CheckResult.down(Failures.timeout(timeout)), done);
        ChannelFuture f = transports.tcp(loop, timeout).handler(new ChannelInboundHandlerAdapter()).connect(target);
        attempt.attach(f.channel());
        f.addListener((ChannelFuture c) -> {
            if (c.isSuccess()) {
                attempt.finish(CheckResult.up("connected"));
            } else if (!attempt.finished()) {
                attempt.fail(c.cause());
            }
        });
    }
}
