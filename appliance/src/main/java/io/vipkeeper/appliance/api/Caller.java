package io.vipkeeper.appliance.api;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandler;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.ApiSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Who asks for a change, and over what: a local peer on the control socket (by its credentials),
 * or a TCP client with the name of the bearer token it presented. Every write route takes its
 * permission decision ({@link #refusal}) and the "who" of its log lines and answers from here, so
 * the control socket and the HTTP API cannot drift apart in what they allow.
 *
 * @param transport how the request came
 * @param peer the local peer's credentials on the control socket; null over TCP or when unreadable
 * @param token the name of the valid bearer token presented over TCP; null without one
 * @param presented whether a bearer token was presented at all (a wrong one is told apart from none)
 * @param from the client's address over TCP; null on the control socket
 * @param unreadable why the local peer's credentials could not be read; null when they could
 */
record Caller(Transport transport, ControlAccess.Peer peer, String token, boolean presented, String from,
        String unreadable) {
    /** How a request reached the API. */
    enum Transport {
        /** The unix control socket beside the pid file. */
        CONTROL_SOCKET("control socket"),
        /** TCP in plain HTTP (loopback only, for writes). */
        HTTP("http"),
        /** TCP in TLS. */
        HTTPS("https");

        private final String label;

        Transport(String label) {
            this.label = label;
        }

        /** As log lines say it. */
        String label() {
            return label;
        }
    }

    /**
     * Why a caller may not write.
     *
     * @param reason the metric's label ({@code refused_REASON})
     * @param status the answer's status
     * @param message the answer's text, saying what to do
     */
    record Refusal(String reason, HttpResponseStatus status, String message) {
        /** Whether the answer must carry {@code WWW-Authenticate: Bearer} (a 401). */
        boolean challenge() {
            return status.equals(HttpResponseStatus.UNAUTHORIZED);
        }

        /** The answer every write route gives it: {@code {"error": message}}, challenged when a 401. */
        io.netty.handler.codec.http.FullHttpResponse answer() {
            io.netty.handler.codec.http.FullHttpResponse r = BackendApi.error(status, message);
            if (challenge()) {
                r.headers().set(io.netty.handler.codec.http.HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vipkeeper\"");
            }
            return r;
        }
    }

    /** The caller of a request on {@code ch} with {@code headers}, its token matched against {@code api}'s. */
    static Caller of(Channel ch, HttpHeaders headers, ControlAccess access, ApiSettings api) {
        if (ch instanceof EpollDomainSocketChannel local) {
            try {
                PeerCredentials c = local.peerCredentials();
                return new Caller(Transport.CONTROL_SOCKET, access.peer(c.uid(), c.gids()), null, false, null, null);
            } catch (IOException e) {
                return new Caller(Transport.CONTROL_SOCKET, null, null, false, null, e.getMessage());
            }
        }
        Transport t = ch.pipeline().get(SslHandler.class) != null ? Transport.HTTPS : Transport.HTTP;
        String from = ch.remoteAddress() instanceof InetSocketAddress a ? Addresses.format(a.getAddress())
                : String.valueOf(ch.remoteAddress());
        Optional<String> presented = Bearer.token(headers);
        String name = presented.flatMap(p -> Bearer.match(p, api.tokens())).orElse(null);
        return new Caller(t, null, name, presented.isPresent(), from, null);
    }

    /** Whether it came over TCP (and so is judged by token, and its refusals are logged sparingly). */
    boolean remote() {
        return transport != Transport.CONTROL_SOCKET;
    }

    /**
     * "uid 0 (root)", "token ops over https from 198.18.250.50", "a client over http from
     * 127.0.0.1 (no valid token)": for the log, the answers and the state's record of who changed it.
     */
    String who() {
        if (!remote()) {
            return peer != null ? peer.who() : "a local peer whose credentials cannot be read (" + unreadable + ")";
        }
        return (token != null ? "token " + token : "a client") + " over " + transport.label() + " from " + from
                + (token != null ? "" : presented ? " (wrong token)" : " (no token)");
    }

    /** Why this caller may not change runtime state under {@code api}; empty when it may. */
    Optional<Refusal> refusal(ApiSettings api, ControlAccess access) {
        if (!remote()) {
            if (peer == null) {
                return Optional.of(new Refusal("forbidden", HttpResponseStatus.FORBIDDEN,
                        "cannot read the peer's credentials: " + unreadable));
            }
            return access.refusal(peer, api.controlGroup())
                    .map(m -> new Refusal("forbidden", HttpResponseStatus.FORBIDDEN, m));
        }
        if (!api.write()) {
            return Optional.of(new Refusal("writes_off", HttpResponseStatus.FORBIDDEN, "writes over TCP are off: set"
                    + " api.write = on with an api.token-file (and api.tls when api.listen is not loopback) and reload,"
                    + " or use the control socket on the director (vipkeeper backend ...)"));
        }
        if (token == null) {
            return Optional.of(new Refusal("unauthorized", HttpResponseStatus.UNAUTHORIZED, presented
                    ? "the bearer token is not one of api.token-file's"
                    : "a write needs \"Authorization: Bearer TOKEN\" with a token of api.token-file"));
        }
        return Optional.empty();
    }
}
