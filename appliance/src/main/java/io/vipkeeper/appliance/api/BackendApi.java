package io.vipkeeper.appliance.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vipkeeper.appliance.config.ApiSettings;
import io.vipkeeper.appliance.pool.BackendChange;
import io.vipkeeper.appliance.pool.BackendRefusal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the runtime backend routes of {@link BackendRoute}: reads to anyone who may read the API;
 * writes on the control socket to root or {@code api.control-group} members ({@link ControlAccess}),
 * over TCP with {@code api.write} on and a bearer token of {@code api.token-file}, as {@link Caller}
 * decides. Every write and refusal is logged with its caller and counted in
 * {@code vipkeeper_backend_orders_total}. Orders run on
 * {@code orders} (one thread: they serialize, and a slow kernel never holds up the API's loop).
 */
final class BackendApi {
    private static final Logger log = LoggerFactory.getLogger(BackendApi.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Said with every answer: a drain on one director does not follow a failover to another. */
    static final String PER_NODE = "runtime state is per node: it applies to this director only; do the same on"
            + " the others if their backends should follow";

    private final StatusAssembler status;
    private final StatusMetrics metrics;
    private final ControlAccess access;
    private final Executor orders;
    private final RefusalLog remoteRefusals = new RefusalLog(RefusalLog.INTERVAL, "refused", "write");

    BackendApi(StatusAssembler status, StatusMetrics metrics, ControlAccess access, Executor orders) {
        this.status = status;
        this.metrics = metrics;
        this.access = access;
        this.orders = orders;
    }

    /**
     * An order carried out, as the API answers it.
     *
     * @param node this director's name
     * @param virtualServer the virtual server
     * @param backend the backend, {@code ADDR:PORT}
     * @param order the action
     * @param changed false when it was in that state already
     * @param before the admin state before
     * @param admin the admin state now
     * @param weight the weight it has now while up (0 drained or disabled)
     * @param weightOrigin config or runtime
     * @param configWeight the config's weight (a runtime backend's: the weight it was added at)
     * @param origin {@code config} for a backend of the file, {@code runtime} for one added at runtime
     * @param event {@code added} or {@code removed} for add and remove; null otherwise
     * @param note {@link #PER_NODE}
     */
    record Answer(String node, String virtualServer, String backend, String order, boolean changed, String before,
            String admin, int weight, String weightOrigin, int configWeight, String origin, String event, String note) {
    }

    /**
     * The backends of every (or one) virtual server, as status has them.
     *
     * @param node this director's name
     * @param note {@link #PER_NODE}
     * @param virtualServers the virtual servers with their backends
     */
    record Listing(String node, String note, List<StatusSnapshot.VirtualServerStatus> virtualServers) {
    }

    /** Answers {@code req} for {@code rawPath} (not yet percent-decoded). */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, String rawPath) {
        FullHttpRequest head = ApiHandler.head(req);
        boolean post = req.method().name().equals("POST");
        ApiSettings api = status.inputs().settings().api();
        Caller caller = Caller.of(ctx.channel(), req.headers(), access, api);
        BackendRoute route;
        try {
            route = BackendRoute.parse(req.method().name(), rawPath);
        } catch (IllegalArgumentException e) {
            refuse(ctx, head, "invalid", "bad_request", HttpResponseStatus.BAD_REQUEST, e.getMessage(), caller, post);
            return;
        }
        if (!route.write()) {
            list(ctx, head, route, caller);
            return;
        }
        Optional<Caller.Refusal> no = caller.refusal(api, access);
        if (no.isPresent()) {
            FullHttpResponse r = no.get().answer();
            refused(ctx, route.label(), no.get().reason(), caller, no.get().message(), true);
            ApiHandler.send(ctx, head, r, false);
            return;
        }
        try {
            orders.execute(() -> order(ctx, head, route, caller));
        } catch (RejectedExecutionException e) {
            refuse(ctx, head, route.label(), "not_saved", HttpResponseStatus.SERVICE_UNAVAILABLE, "the daemon is stopping",
                    caller, true);
        }
    }

    private void order(ChannelHandlerContext ctx, FullHttpRequest head, BackendRoute route, Caller caller) {
        Optional<BackendControl> control = status.inputs().backendControl();
        try {
            if (control.isEmpty()) {
                throw new BackendRefusal(BackendRefusal.Reason.UNKNOWN_VIRTUAL_SERVER, "no virtual server "
                        + route.virtualServer() + ": the config has no virtual servers");
            }
            BackendChange c = control.get().backend(route.virtualServer(), route.backend(), route.order(), route.weight(),
                    caller.who());
            metrics.backendOrder(route.label(), c.changed() ? "changed" : "unchanged");
            Answer a = new Answer(status.inputs().settings().nodeName(), c.virtualServer(), c.backend(), route.label(),
                    c.changed(), c.before().state().label(), c.after().state().label(), c.weight(), c.after().origin(),
                    c.configWeight(), c.origin(), c.event(), PER_NODE);
            ApiHandler.send(ctx, head, json(HttpResponseStatus.OK, a), false);
        } catch (BackendRefusal r) {
            HttpResponseStatus code = switch (r.reason()) {
                case UNKNOWN_VIRTUAL_SERVER, UNKNOWN_BACKEND -> HttpResponseStatus.NOT_FOUND;
                case DUPLICATE, CONFIG_BACKEND -> HttpResponseStatus.CONFLICT;
                case BAD_REQUEST -> HttpResponseStatus.BAD_REQUEST;
                case NOT_SAVED -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            };
            refuse(ctx, head, route.label(), r.reason().label(), code, r.getMessage(), caller, true);
        } catch (RuntimeException e) {
            log.error("backend {} {} {} by {} failed", route.order().label(), route.virtualServer(), route.backend(),
                    caller.who(), e);
            refuse(ctx, head, route.label(), "not_saved", HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error: " + e.getMessage(), caller, true);
        }
    }

    private void list(ChannelHandlerContext ctx, FullHttpRequest head, BackendRoute route, Caller caller) {
        StatusSnapshot s = status.snapshot();
        List<StatusSnapshot.VirtualServerStatus> vss = s.virtualServers().stream()
                .filter(v -> route.virtualServer() == null || v.name().equals(route.virtualServer())).toList();
        if (route.virtualServer() != null && vss.isEmpty()) {
            refuse(ctx, head, "list", "unknown_virtual_server", HttpResponseStatus.NOT_FOUND, "no virtual server "
                    + route.virtualServer() + " in the config", caller, false);
            return;
        }
        metrics.backendOrder("list", "unchanged");
        ApiHandler.send(ctx, head, json(HttpResponseStatus.OK, new Listing(s.node(), PER_NODE, vss)), false);
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest head, String order, String reason,
            HttpResponseStatus code, String message, Caller caller, boolean write) {
        refused(ctx, order, reason, caller, message, write);
        ApiHandler.send(ctx, head, error(code, message), false);
    }

    /**
     * Counts a refusal by its reason and logs it with its caller: a local write's (or malformed
     * POST's) at warn, a TCP client's write at most once a minute ({@link RefusalLog}: a client
     * without a token must not flood the journal), a read's at debug.
     */
    private void refused(ChannelHandlerContext ctx, String order, String reason, Caller caller, String message,
            boolean write) {
        metrics.backendOrder(order, "refused_" + reason);
        if (write && caller.remote()) {
            remoteRefusals.refused(ctx.executor(), caller.who(), "backend " + order + " refused: " + message);
        } else if (write) {
            log.warn("backend {} refused for {}: {}", order, caller.who(), message);
        } else {
            log.debug("backend {} refused for {}: {}", order, caller.who(), message);
        }
    }

    /** {@code {"error": message}} with {@code code}; every write route answers refusals so. */
    static FullHttpResponse error(HttpResponseStatus code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", message);
        return json(code, body);
    }

    /** {@code body} as indented JSON with {@code code}. */
    static FullHttpResponse json(HttpResponseStatus code, Object body) {
        try {
            return ApiHandler.response(code, "application/json; charset=utf-8",
                    (JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }
}
