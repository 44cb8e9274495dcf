package io.vipkeeper.appliance.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.HealthCheck.Http;
import io.vipkeeper.appliance.config.HealthCheck.Tls;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * GET of a path; up when the status is in the accepted list and the body (if asked) matches
 * (keepalived's HTTP_GET/SSL_GET). With a tls block the connection is TLS through Netty's SslHandler.
 */
final class HttpProbe implements Probe {
    private final Transports transports;
    private final InetSocketAddress target;
    private final Duration timeout;
    private final Http http;
    private final Optional<Tls> tls;
    private final TlsContexts tlsContexts;
    private final Optional<Pattern> regex;
    private final String host;

    HttpProbe(Transports transports, InetSocketAddress target, Duration timeout, Http http, Optional<Tls> tls,
            TlsContexts tlsContexts) {
        this.transports = transports;
        this.target = target;
        this.timeout = timeout;
        this.http = http;
        this.tls = tls;
        this.tlsContexts = tlsContexts;
        this.regex = http.bodyRegex().map(Pattern::compile);
        this.host = http.virtualHost().orElseGet(() -> hostHeader(target, tls.isPresent() ? 443 : 80));
    }

    /** The Host header for an address: {@code 198.18.0.13}, {@code [2001:db8::13]:8080}. */
    static String hostHeader(InetSocketAddress target, int defaultPort) {
        if (target.getPort() != defaultPort) {
            return Addresses.format(target);
        }
        String a = Addresses.format(target.getAddress());
        return target.getAddress() instanceof Inet6Address ? "[" + a + "]" : a;
    }

    @Override
    public void run(EventLoop loop, Consumer<CheckResult> done) {
        Attempt attempt = new Attempt(loop, timeout, CheckResult.down(Failures.timeout(timeout)), done);
        SslContext ssl = null;
        if (tls.isPresent()) {
            try {
                ssl = tlsContexts.context(tls.get());
            } catch (SSLException e) {
                attempt.fail("tls: " + e.getMessage());
                return;
            }
        }
        SslContext sslContext = ssl;
        ChannelFuture f = transports.tcp(loop, timeout).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (sslContext != null) {
                    ch.pipeline().addLast(tlsContexts.handler(sslContext, ch.alloc(), tls.get(), http.virtualHost(),
                            target));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new ResponseHandler(attempt));
            }
        }).connect(target);
        attempt.attach(f.channel());
        f.addListener((ChannelFuture c) -> {
            if (!c.isSuccess() && !attempt.finished()) {
                attempt.fail(c.cause());
            }
        });
    }

    private FullHttpRequest request() {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, http.path());
        req.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "vipkeeper-health")
                .set(HttpHeaderNames.ACCEPT, "*/*");
        return req;
    }

    /** Sends the request once connected and judges the response as it arrives. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        private final Attempt attempt;
        private BodyCheck body;
        private int status;

        ResponseHandler(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // With TLS the SslHandler holds the request until the handshake is done.
            ctx.writeAndFlush(request()).addListener((ChannelFuture w) -> {
                if (!w.isSuccess() && !attempt.finished()) {
                    attempt.fail(w.cause());
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (attempt.finished()) {
                    return;
                }
                if (msg instanceof HttpResponse r) {
                    if (r.decoderResult().isFailure()) {
                        attempt.fail("bad response: " + Failures.reason(r.decoderResult().cause()));
                        return;
                    }
                    status = r.status().code();
                    if (!http.accepts(status)) {
                        attempt.fail("status " + status);
                        return;
                    }
                    body = BodyCheck.of(http, regex);
                    if (!body.needed()) {
                        attempt.finish(CheckResult.up("status " + status));
                        return;
                    }
                }
                if (msg instanceof HttpContent c && body != null) {
                    if (!body.feed(c.content())) {
                        attempt.fail("body over 1 MiB");
                        return;
                    }
                    if (c instanceof LastHttpContent) {
                        Optional<String> bad = body.verdict();
                        attempt.finish(bad.isEmpty() ? CheckResult.up("status " + status + ", body matches")
                                : CheckResult.down(bad.get()));
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt.fail(status == 0 ? "connection closed before the response" : "connection closed in the body");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.fail(cause);
        }
    }
}
