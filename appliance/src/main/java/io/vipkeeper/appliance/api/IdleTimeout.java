package io.vipkeeper.appliance.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a status API connection that neither sent nor took a byte for {@code api.idle-timeout}:
 * a client that connects and sends nothing, a keep-alive connection between requests, a client that
 * stopped reading its answer. An answer still leaving counts as activity (observeOutput), so a slow
 * but reading client of a large /status is not cut off.
 */
final class IdleTimeout extends IdleStateHandler {
    IdleTimeout(Duration timeout) {
        super(true, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
