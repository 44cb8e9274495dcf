package io.vipkeeper.appliance.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the status API's requests: {@code /status}, {@code /metrics}, {@code /healthz} and the
 * page at {@code /}, by GET or HEAD only. Anything else is refused (400, 404, 405) and counted;
 * a malformed request also closes its connection. The runtime backend routes under {@code /backends}
 * go to {@link BackendApi}, the only ones that may change anything (who may: {@link Caller});
 * {@code /events} is the live event stream ({@link EventStream}).
 */
@ChannelHandler.Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> PATHS = Set.of("/", "/status", "/metrics", "/healthz");
    /** The live event stream's path ({@link EventStream}). */
    static final String EVENTS = "/events";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final StatusAssembler status;
    private final DaemonHealth health;
    private final StatusMetrics metrics;
    private final BackendApi backends;
    private final ReloadApi reloads;
    private final VrrpApi vrrp;
    private final SocketReadGate gate = new SocketReadGate(ControlAccess.SYSTEM);

    ApiHandler(StatusAssembler status, DaemonHealth health, StatusMetrics metrics, BackendApi backends, ReloadApi reloads,
            VrrpApi vrrp) {
        this.reloads = reloads;
        this.vrrp = vrrp;
        this.status = status;
        this.health = health;
        this.metrics = metrics;
        this.backends = backends;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            metrics.badRequest();
            log.debug("api: bad request from {}: {}", ctx.channel().remoteAddress(), req.decoderResult().cause());
            send(ctx, req, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), true);
            return;
        }
        java.util.Optional<String> unreadable = gate.refusal(ctx.channel(), req.headers(), status.inputs().settings().api());
        if (unreadable.isPresent()) {
            metrics.badRequest();
            log.debug("api: {}", unreadable.get());
            send(ctx, req, text(HttpResponseStatus.FORBIDDEN, unreadable.get() + "\n"), false);
            return;
        }
        String path;
        try {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            if (BackendRoute.owns(uri.rawPath())) {
                backends.handle(ctx, req, uri.rawPath());
                return;
            }
            if (uri.rawPath().equals(ReloadApi.PATH)) {
                reloads.handle(ctx, req);
                return;
            }
            if (VrrpRoute.owns(uri.rawPath())) {
                vrrp.handle(ctx, req);
                return;
            }
            path = uri.path();
            if (path.equals(EVENTS)) {
                events(ctx, req);
                return;
            }
        } catch (IllegalArgumentException e) {
            metrics.badRequest();
            send(ctx, req, text(HttpResponseStatus.BAD_REQUEST, "bad request URI\n"), true);
            return;
        }
        if (!PATHS.contains(path)) {
            metrics.badRequest();
            send(ctx, req, text(HttpResponseStatus.NOT_FOUND, "not found; try /, /status, /metrics, /healthz, /events, /backends or /vrrp\n"), false);
            return;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            metrics.badRequest();
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; the API is read-only\n");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, req, r, false);
            return;
        }
        FullHttpResponse response;
        try {
            response = route(path, req);
        } catch (RuntimeException e) {
            log.warn("api: {} failed: {}", path, e.toString());
            response = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage() + "\n");
        }
        send(ctx, req, response, false);
    }

    /** {@code GET /events}: the live stream, open to whoever may read the status. */
    private void events(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            metrics.badRequest();
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; /events is read-only\n");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, req, r, false);
            return;
        }
        var bus = status.inputs().events();
        if (bus.isEmpty()) {
            send(ctx, req, text(HttpResponseStatus.NOT_FOUND, "this daemon has no event stream\n"), false);
            return;
        }
        EventStream.start(ctx, req, bus.get(), EventStream.HEARTBEAT);
    }

    private FullHttpResponse route(String path, FullHttpRequest req) {
        switch (path) {
            case "/status":
                if (StatusMediaType.text(req.headers().get(HttpHeaderNames.ACCEPT))) {
                    return text(HttpResponseStatus.OK, StatusTable.format(status.snapshot()));
                }
                return response(HttpResponseStatus.OK, "application/json; charset=utf-8",
                        StatusJson.write(status.snapshot()).getBytes(StandardCharsets.UTF_8));
            case "/metrics":
                StatusMetrics.Exposition e = metrics.scrape(req.headers().get(HttpHeaderNames.ACCEPT));
                return response(HttpResponseStatus.OK, e.contentType(), e.body());
            case "/healthz":
                List<String> problems = health.problems();
                return problems.isEmpty() ? text(HttpResponseStatus.OK, "ok\n")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, String.join("\n", problems) + "\n");
            default:
                FullHttpResponse page = response(HttpResponseStatus.OK, "text/html; charset=utf-8",
                        StatusPage.render(status.snapshot()).getBytes(StandardCharsets.UTF_8));
                // The page has no scripts and loads nothing: say so to the browser.
                page.headers().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
                return page;
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    /**
     * The request's line and headers without its body: what a write route keeps to answer later,
     * off the event loop, after the request itself has been released.
     */
    static FullHttpRequest head(FullHttpRequest req) {
        return new io.netty.handler.codec.http.DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                Unpooled.EMPTY_BUFFER, req.headers().copy(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    }

    /** Sends {@code r} (without its body for HEAD), closing the connection when asked or when the client wants. */
    static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r, boolean close) {
        if (req.method().equals(HttpMethod.HEAD)) {
            ByteBuf body = r.content();
            r = r.replace(Unpooled.EMPTY_BUFFER);
            body.release();
        }
        boolean keepAlive = !close && HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("api: connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
