package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status API's backpressure on Netty's in-memory channel, with the pipeline's order: however
 * many requests a client pipelines, the next reaches the handler only once the previous answer is
 * written.
 */
class OneRequestAtATimeTest {
    private final List<String> seen = new ArrayList<>();
    private final List<ChannelHandlerContext> unanswered = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(false, false);

    OneRequestAtATimeTest() throws Exception {
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new FlowControlHandler(),
                new OneRequestAtATime(), new SimpleChannelInboundHandler<FullHttpRequest>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                        seen.add(req.uri());
                        unanswered.add(ctx);
                    }
                });
        ch.register();
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    @Test
    void theNextPipelinedRequestWaitsForTheAnswerBeforeIt() {
        ch.writeInbound(Unpooled.copiedBuffer("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertEquals(List.of("/a"), seen, "one request at a time");
        ch.writeInbound(Unpooled.copiedBuffer("GET /d HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertEquals(List.of("/a"), seen, "more requests wait too");

        answer();
        assertEquals(List.of("/a", "/b"), seen);
        answer();
        answer();
        assertEquals(List.of("/a", "/b", "/c", "/d"), seen, "each answer lets the next in, in order");
        answer();
        assertEquals(4, seen.size());
    }

    private void answer() {
        ChannelHandlerContext ctx = unanswered.remove(0);
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(r);
        ch.runPendingTasks();
        for (Object out; (out = ch.readOutbound()) != null; ) {
            ReferenceCountUtil.release(out);
        }
    }
}
