package io.vipkeeper.appliance.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.vipkeeper.appliance.events.Event;
import io.vipkeeper.appliance.events.EventBus;
import io.vipkeeper.appliance.events.EventType;
import io.vipkeeper.appliance.events.ServerSentEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /events}: one connection's subscription to the {@link EventBus}, written as server-sent
 * events until the client goes. The stream leaves the API's idle timeout (it is quiet by nature)
 * but keeps its slot in the connection caps; a comment every {@link #HEARTBEAT} finds a reader that
 * went away without a word (the write fails and the connection closes). Events are written only
 * while the connection is writable; a reader that stops reading falls behind on the bus and is
 * cut off there with an overflow event, so it never holds more than the bus's limit in the daemon.
 * Whatever the client sends once the stream started is read and dropped (so that its going is
 * seen at once); the stream is close-delimited (HTTP/1.1 without a length).
 */
final class EventStream extends ChannelInboundHandlerAdapter {
    /** How often a quiet stream sends a comment: so that a dead reader is found. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Channel channel;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private EventBus.Subscription subscription;

    private EventStream(Channel channel) {
        this.channel = channel;
    }

    /** Answers {@code req} with the stream of {@code bus}'s events, on the connection's loop. */
    static void start(ChannelHandlerContext ctx, FullHttpRequest req, EventBus bus, Duration heartbeat) {
        Channel ch = ctx.channel();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, ServerSentEvents.MEDIA_TYPE + "; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                // No length and no chunks: the stream ends when the connection does.
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (req.method().equals(HttpMethod.HEAD)) {
            ctx.writeAndFlush(head).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (ch.pipeline().get(ApiServer.IDLE) != null) {
            ch.pipeline().remove(ApiServer.IDLE);
        }
        EventStream stream = new EventStream(ch);
        ch.pipeline().addLast(stream);
        // Subscribed before anything is said: a client that has the head may count on every event after it.
        stream.subscription = bus.subscribe(stream::wake);
        ch.write(head);
        stream.write(ServerSentEvents.comment("vipkeeper events"));
        ch.flush();
        // Read on, only to notice at once when the reader goes (EOF closes the connection); whatever
        // it sends is dropped before the codec: this connection takes no more requests.
        ch.pipeline().addFirst(new Discard());
        ch.read();
        ScheduledFuture<?> beat = ch.eventLoop().scheduleAtFixedRate(
                () -> ch.writeAndFlush(text(ServerSentEvents.comment("heartbeat")))
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE),
                heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> {
            beat.cancel(false);
            stream.subscription.close();
        });
    }

    /** Called on a publisher's thread: take the events on the connection's loop, once. */
    private void wake() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /** Writes what is queued while the connection takes it; the rest waits for it to be writable again. */
    private void drain() {
        drainScheduled.set(false);
        if (!channel.isActive()) {
            return;
        }
        if (subscription.overflowed()) {
            overflowed();
            return;
        }
        Event e;
        while (channel.isWritable() && (e = subscription.poll()) != null) {
            write(ServerSentEvents.frame(e));
        }
        channel.flush();
    }

    /**
     * Cut off by the bus: what is still queued is skipped (the reader has lost events anyway and must
     * read the status afresh), the overflow event goes out after what is in flight, and the
     * connection closes once it is out, or after {@link ApiServer#CLOSE_WAIT} for a reader that takes
     * nothing.
     */
    private void overflowed() {
        Event last = null;
        for (Event e = subscription.poll(); e != null; e = subscription.poll()) {
            last = e;
        }
        if (last == null || last.type() != EventType.OVERFLOW) {
            return; // written already
        }
        channel.writeAndFlush(text(ServerSentEvents.frame(last))).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, ApiServer.CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void write(String s) {
        channel.write(text(s)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private static DefaultHttpContent text(String s) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    /** Drops what a subscriber sends and asks for more, so that its going is seen. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }
}
