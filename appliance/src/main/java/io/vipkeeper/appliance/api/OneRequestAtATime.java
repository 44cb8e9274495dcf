package io.vipkeeper.appliance.api;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;

/**
 * Backpressure for the status API: a connection's next request is read only once the answer to
 * the previous one has gone to the kernel. Connections run with auto-read off behind a
 * {@link io.netty.handler.flow.FlowControlHandler}, which hands on one request per read however
 * many a client pipelined into one segment; this handler asks for the first read when the
 * connection opens and for each next one when an answer is written.
 *
 * <p>Why: a client that pipelines requests and never reads the answers (an adversarial review's 30
 * such connections) otherwise had every answer queued in the daemon's outbound buffers until
 * direct memory ran out and the API's event loop hung for good. Now such a connection holds one
 * answer at most; with nothing read and nothing leaving, {@link IdleTimeout} closes it. Well-behaved
 * clients, pipelining ones included, get their answers in order as before.
 *
 * <p>It also marks a connection {@link #ANSWERING} from a request handed on until its answer is
 * written: the daemon is working on it (a reload, a maintenance order waiting for the peer), and
 * {@link IdleTimeout} must not take that silence for an idle client.
 */
@ChannelHandler.Sharable
final class OneRequestAtATime extends ChannelDuplexHandler {
    /** Set while a request read from the connection has no answer written yet. */
    static final AttributeKey<Boolean> ANSWERING = AttributeKey.valueOf("vipkeeper.api.answering");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            ctx.channel().attr(ANSWERING).set(Boolean.TRUE);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            ctx.channel().attr(ANSWERING).set(Boolean.FALSE);
            // A full answer (every answer is one FullHttpResponse): once it is out, the next request.
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    ctx.read();
                }
            });
        }
        ctx.write(msg, promise);
    }
}
