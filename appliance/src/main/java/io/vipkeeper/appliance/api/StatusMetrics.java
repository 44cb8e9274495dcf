package io.vipkeeper.appliance.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vipkeeper.appliance.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** The registry behind {@code GET /metrics}: the status collector, the API's own counters, build info. */
public final class StatusMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Counter badRequests;
    private final Gauge connections;
    private final Counter refusedConnections;
    private final Counter stalledConnections;
    private final Counter backendOrders;
    private final Counter vrrpOrders;

    /** Metrics computed from {@code status} at each scrape. */
    public StatusMetrics(Supplier<StatusSnapshot> status) {
        registry.register(new StatusCollector(status));
        badRequests = Counter.builder().name("vipkeeper_api_bad_requests")
                .help("HTTP requests to the status API that were malformed or asked for something it does not serve.")
                .register(registry);
        connections = Gauge.builder().name("vipkeeper_api_connections")
                .help("Open connections to the status API.").register(registry);
        refusedConnections = Counter.builder().name("vipkeeper_api_refused_connections")
                .help("Connections to the status API reset at once, over api.max-connections (cap=\"total\") or "
                        + "api.max-connections-per-client (cap=\"per-client\").")
                .labelNames("cap").register(registry);
        stalledConnections = Counter.builder().name("vipkeeper_api_stalled_connections")
                .help("Connections to the status API closed after api.idle-timeout with an answer the client did not "
                        + "take (a client that stopped reading, such as one pipelining requests without reading).")
                .register(registry);
        backendOrders = Counter.builder().name("vipkeeper_backend_orders")
                .help("Runtime backend requests on the API by order (list, drain, disable, enable, weight) and outcome:"
                        + " changed, unchanged, or refused_REASON (forbidden, read_only, bad_request, unknown_virtual_server,"
                        + " unknown_backend, not_saved).")
                .labelNames("order", "outcome").register(registry);
        vrrpOrders = Counter.builder().name("vipkeeper_vrrp_maintenance_orders")
                .help("VRRP requests on the API by order (list, on, off) and outcome: changed, unchanged, or"
                        + " refused_REASON (forbidden, read_only, bad_request, unknown_instance, no_peer, not_saved).")
                .labelNames("order", "outcome").register(registry);
        for (ConnectionLimiter.Cap c : ConnectionLimiter.Cap.values()) {
            refusedConnections.labelValues(c.label);
        }
        Info build = Info.builder().name("vipkeeper_build_info").help("The running build.").labelNames("version")
                .register(registry);
        build.setLabelValues(Version.get());
    }

    /** Exposes the event stream's subscribers and the ones cut off for falling behind. */
    void watch(io.vipkeeper.appliance.events.EventBus events) {
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("vipkeeper_api_event_subscribers")
                .help("Open GET /events streams (vipkeeper events).")
                .callback(cb -> cb.call(events.subscribers())).register(registry);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("vipkeeper_api_event_overflows")
                .help("GET /events streams disconnected after an overflow event: they fell more than "
                        + io.vipkeeper.appliance.events.EventBus.DEFAULT_LIMIT + " events behind.")
                .callback(cb -> cb.call(events.overflows())).register(registry);
    }

    /** Counts one bad request. */
    public void badRequest() {
        badRequests.inc();
    }

    /** Bad requests so far. */
    public long badRequests() {
        return badRequests.getLongValue();
    }

    /** Counts one runtime backend request: {@code order} ("drain", ..., "list", "invalid") and its outcome. */
    void backendOrder(String order, String outcome) {
        backendOrders.labelValues(order, outcome).inc();
    }

    /** Runtime backend requests so far with {@code order} and {@code outcome}. */
    long backendOrders(String order, String outcome) {
        return backendOrders.labelValues(order, outcome).getLongValue();
    }

    /** Counts one VRRP request: {@code order} ("on", "off", "list", "invalid") and its outcome. */
    void vrrpOrder(String order, String outcome) {
        vrrpOrders.labelValues(order, outcome).inc();
    }

    /** VRRP requests so far with {@code order} and {@code outcome}. */
    long vrrpOrders(String order, String outcome) {
        return vrrpOrders.labelValues(order, outcome).getLongValue();
    }

    /** One more open connection (the limiter let it in). */
    void connectionOpened() {
        connections.inc();
    }

    /** One open connection fewer. */
    void connectionClosed() {
        connections.dec();
    }

    /** Counts one connection reset over {@code cap}. */
    void connectionRefused(ConnectionLimiter.Cap cap) {
        refusedConnections.labelValues(cap.label).inc();
    }

    /** Counts one connection closed with an answer its client did not take. */
    void connectionStalled() {
        stalledConnections.inc();
    }

    /** Connections closed so far with an answer their client did not take. */
    long stalledConnections() {
        return stalledConnections.getLongValue();
    }

    /** Connections refused so far by {@code cap}. */
    long refusedConnections(ConnectionLimiter.Cap cap) {
        return refusedConnections.labelValues(cap.label).getLongValue();
    }

    /** One scrape in the format {@code accept} asks for (OpenMetrics or Prometheus text). */
    public Exposition scrape(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept == null ? "" : accept);
        if (!writer.isAvailable()) {
            // Protobuf was asked for, but this build carries only the text formats.
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(writer.getContentType(), out.toByteArray());
    }

    /**
     * A scrape's body.
     *
     * @param contentType the exposition format's content type
     * @param body the text
     */
    public record Exposition(String contentType, byte[] body) {
    }
}
