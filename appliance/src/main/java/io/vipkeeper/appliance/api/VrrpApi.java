package io.vipkeeper.appliance.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vipkeeper.appliance.vrrp.MaintenanceChange;
import io.vipkeeper.appliance.vrrp.MaintenanceRefusal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the VRRP routes of {@link VrrpRoute}: the list to anyone who may read the API, maintenance
 * orders to whom {@link Caller} allows them, as the backend orders: root or {@code api.control-group}
 * members on the control socket, a bearer token over TCP with {@code api.write} on. Every
 * order and refusal is logged with its peer and counted in
 * {@code vipkeeper_vrrp_maintenance_orders_total}. Orders run on {@code orders}, the backend orders'
 * thread: they serialize, and a resignation's wait for the new master never holds up the API's loop.
 */
final class VrrpApi {
    private static final Logger log = LoggerFactory.getLogger(VrrpApi.class);
    /** Said with every answer: maintenance on one director is not maintenance on another. */
    static final String PER_NODE = "maintenance is per node: it applies to this director only and is kept across its"
            + " restarts and reloads";

    private final StatusAssembler status;
    private final StatusMetrics metrics;
    private final ControlAccess access;
    private final Executor orders;

    VrrpApi(StatusAssembler status, StatusMetrics metrics, ControlAccess access, Executor orders) {
        this.status = status;
        this.metrics = metrics;
        this.access = access;
        this.orders = orders;
    }

    /**
     * An order carried out, as the API answers it.
     *
     * @param node this director's name
     * @param change what was done
     * @param note {@link #PER_NODE}
     */
    record Answer(String node, MaintenanceChange change, String note) {
    }

    /**
     * Every instance, as status has it (state, priorities, VIPs, maintenance, master seen).
     *
     * @param node this director's name
     * @param note {@link #PER_NODE}
     * @param instances the instances in config order
     */
    record Listing(String node, String note, List<StatusSnapshot.Instance> instances) {
    }

    /** Answers {@code req} for its URI (not yet percent-decoded). */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpRequest head = ApiHandler.head(req);
        VrrpRoute route;
        try {
            route = VrrpRoute.parse(req.method().name(), req.uri());
        } catch (IllegalArgumentException e) {
            refuse(ctx, head, "invalid", "bad_request", HttpResponseStatus.BAD_REQUEST, e.getMessage(),
                    "a client", false);
            return;
        }
        if (!route.write()) {
            StatusSnapshot s = status.snapshot();
            metrics.vrrpOrder("list", "unchanged");
            ApiHandler.send(ctx, head, BackendApi.json(HttpResponseStatus.OK, new Listing(s.node(), PER_NODE,
                    s.vrrpInstances())), false);
            return;
        }
        Caller caller = Caller.of(ctx.channel(), req.headers(), access, status.inputs().settings().api());
        Optional<Caller.Refusal> no = caller.refusal(status.inputs().settings().api(), access);
        if (no.isPresent()) {
            FullHttpResponse r = no.get().answer();
            metrics.vrrpOrder(route.label(), "refused_" + no.get().reason());
            // A remote refusal at debug only: no client over TCP may flood the log (it is counted).
            if (caller.remote()) {
                log.debug("vrrp maintenance {} refused for {}: {}", route.label(), caller.who(), no.get().message());
            } else {
                log.warn("vrrp maintenance {} refused for {}: {}", route.label(), caller.who(), no.get().message());
            }
            ApiHandler.send(ctx, head, r, false);
            return;
        }
        try {
            orders.execute(() -> order(ctx, head, route, caller));
        } catch (RejectedExecutionException e) {
            refuse(ctx, head, route.label(), "not_saved", HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the daemon is stopping", caller.who(), true);
        }
    }

    private void order(ChannelHandlerContext ctx, FullHttpRequest head, VrrpRoute route, Caller caller) {
        try {
            VrrpControl control = status.inputs().vrrpControl().orElseThrow(() -> new MaintenanceRefusal(
                    MaintenanceRefusal.Reason.UNKNOWN_INSTANCE, "no VRRP instance " + route.instance()
                            + ": the config has no VRRP instances"));
            MaintenanceChange c = control.maintenance(route.instance(), route.on(), route.force(), caller.who());
            metrics.vrrpOrder(route.label(), c.changed() ? "changed" : "unchanged");
            ApiHandler.send(ctx, head, BackendApi.json(HttpResponseStatus.OK,
                    new Answer(status.inputs().settings().nodeName(), c, PER_NODE)), false);
        } catch (MaintenanceRefusal r) {
            HttpResponseStatus code = switch (r.reason()) {
                case UNKNOWN_INSTANCE -> HttpResponseStatus.NOT_FOUND;
                case NO_PEER -> HttpResponseStatus.CONFLICT;
                case NOT_SAVED -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            };
            refuse(ctx, head, route.label(), r.reason().label(), code, r.getMessage(), caller.who(), true);
        } catch (RuntimeException e) {
            log.error("vrrp maintenance {} {} by {} failed", route.label(), route.instance(), caller.who(), e);
            refuse(ctx, head, route.label(), "not_saved", HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error: " + e.getMessage(), caller.who(), true);
        }
    }

    /** Counts a refusal and answers it; a write's is logged at warn with its peer, a malformed request's at debug. */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest head, String order, String reason,
            HttpResponseStatus code, String message, String who, boolean write) {
        metrics.vrrpOrder(order, "refused_" + reason);
        if (write) {
            log.warn("vrrp maintenance {} refused for {}: {}", order, who, message);
        } else {
            log.debug("vrrp {} refused for {}: {}", order, who, message);
        }
        ApiHandler.send(ctx, head, BackendApi.error(code, message), false);
    }
}
