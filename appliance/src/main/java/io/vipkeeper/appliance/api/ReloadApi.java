package io.vipkeeper.appliance.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /reload}: the reload SIGHUP runs, asked over the control socket by root or an
 * {@code api.control-group} member, or over TCP with {@code api.write} on and a bearer token, as
 * {@link Caller} decides for the backend orders; answered with its outcome: 200 and the changes in
 * words, 422 and every problem as FILE:LINE (the previous config stays in force), 503 while the
 * daemon starts or stops. Any other caller gets 401 or 403, logged (over TCP at debug level) and
 * counted as a bad request. Reloads run on {@code reloads}, off the API's loop, and
 * serialize with each other and with SIGHUP in the daemon: a second one waits, then runs.
 */
final class ReloadApi {
    /** The route. */
    static final String PATH = "/reload";
    private static final Logger log = LoggerFactory.getLogger(ReloadApi.class);

    private final StatusAssembler status;
    private final StatusMetrics metrics;
    private final ControlAccess access;
    private final Executor reloads;

    ReloadApi(StatusAssembler status, StatusMetrics metrics, ControlAccess access, Executor reloads) {
        this.status = status;
        this.metrics = metrics;
        this.access = access;
        this.reloads = reloads;
    }

    /**
     * A reload's outcome as the API answers it.
     *
     * @param node this director's name
     * @param ok whether the new config is in force
     * @param at when the reload finished (ISO-8601 UTC)
     * @param summary what changed, in words, or why it failed
     * @param problems every problem as FILE:LINE; empty when ok
     */
    record Answer(String node, boolean ok, String at, String summary, List<String> problems) {
    }

    /** Answers {@code req} for {@code /reload}. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpRequest head = ApiHandler.head(req);
        if (!req.method().name().equals("POST")) {
            FullHttpResponse r = BackendApi.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "POST " + PATH + " reloads the config");
            r.headers().set(HttpHeaderNames.ALLOW, "POST");
            refuse(ctx, head, r, "TCP or local client", "method " + req.method().name(), false);
            return;
        }
        Caller caller = Caller.of(ctx.channel(), req.headers(), access, status.inputs().settings().api());
        Optional<Caller.Refusal> no = caller.refusal(status.inputs().settings().api(), access);
        if (no.isPresent()) {
            FullHttpResponse r = no.get().answer();
            // A remote refusal at debug only: no client over TCP may flood the log (it is counted).
            refuse(ctx, head, r, caller.who(), no.get().message(), !caller.remote());
            return;
        }
        Optional<ReloadControl> control = status.inputs().reloadControl();
        if (control.isEmpty()) {
            refuse(ctx, head, BackendApi.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "this daemon cannot reload"), caller.who(),
                    "no reload control", true);
            return;
        }
        try {
            reloads.execute(() -> reload(ctx, head, control.get(), caller));
        } catch (RejectedExecutionException e) {
            refuse(ctx, head, BackendApi.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the daemon is stopping"), caller.who(),
                    "stopping", true);
        }
    }

    private void reload(ChannelHandlerContext ctx, FullHttpRequest head, ReloadControl control, Caller caller) {
        FullHttpResponse r;
        try {
            ReloadResult result = control.reload(caller.who());
            HttpResponseStatus code = result.ok() ? HttpResponseStatus.OK
                    : result.problems().isEmpty() && result.summary().startsWith(ReloadControl.NOT_NOW) ? HttpResponseStatus.SERVICE_UNAVAILABLE
                    : HttpResponseStatus.UNPROCESSABLE_ENTITY;
            r = BackendApi.json(code, new Answer(status.inputs().settings().nodeName(), result.ok(),
                    StatusJson.timestamp(result.at()), result.summary(), result.problems()));
        } catch (RuntimeException e) {
            log.error("reload by {} failed", caller.who(), e);
            r = BackendApi.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
        }
        ApiHandler.send(ctx, head, r, false);
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest head, FullHttpResponse r, String who, String why,
            boolean warn) {
        metrics.badRequest();
        if (warn) {
            log.warn("reload refused for {}: {}", who, why);
        } else {
            log.debug("reload refused for {}: {}", who, why);
        }
        ApiHandler.send(ctx, head, r, false);
    }
}
