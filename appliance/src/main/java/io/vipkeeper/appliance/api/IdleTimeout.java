package io.vipkeeper.appliance.api;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Closes a status API connection that neither sent nor took a byte for {@code api.idle-timeout}:
 * a client that connects and sends nothing, a keep-alive connection between requests, a client that
 * stopped reading its answer. An answer still leaving counts as activity (observeOutput), so a slow
 * but reading client of a large /status is not cut off. A connection closed with an answer still
 * waiting is a stalled one (a client that stopped reading, maybe while pipelining requests, see
 * {@link OneRequestAtATime}) and is told to {@code stalled} as well. A connection whose request the
 * daemon is still answering (a reload, a maintenance order that waits for the peer: seconds) is not
 * idle, whatever the timeout: closing it lost the answer, and the CLI reported a reload that had
 * succeeded as "cannot reach the daemon" (operator review). Such a request ends when its answer
 * does; the client's own timeout (`reload --timeout`) bounds the wait.
 */
final class IdleTimeout extends IdleStateHandler {
    private final Consumer<Channel> stalled;

    IdleTimeout(Duration timeout, Consumer<Channel> stalled) {
        super(true, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
        this.stalled = stalled;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out != null && out.totalPendingWriteBytes() > 0) {
            stalled.accept(ctx.channel());
        } else if (Boolean.TRUE.equals(ctx.channel().attr(OneRequestAtATime.ANSWERING).get())) {
            return; // the daemon is still working on the answer
        }
        ctx.close();
    }
}
