package io.vipkeeper.appliance.api;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * The VRRP routes, parsed from a request's method and URI:
 *
 * <pre>
 * GET  /vrrp                                  every instance: state, priorities, VIPs, maintenance, master seen
 * POST /vrrp/INSTANCE/maintenance/on          hand the VIPs to the peer gracefully and stay BACKUP until off
 * POST /vrrp/INSTANCE/maintenance/on?force=true   the same even when nobody would hold the VIPs
 * POST /vrrp/INSTANCE/maintenance/off         back to the election (preempt as configured)
 * </pre>
 *
 * INSTANCE is the instance's name in the config; an instance in a sync group takes its group with it.
 * A request body is ignored.
 *
 * @param write whether it changes state (POST)
 * @param instance the instance; null for the list
 * @param on maintenance on (true) or off
 * @param force whether {@code force=true} was given
 */
record VrrpRoute(boolean write, String instance, boolean on, boolean force) {
    /** The path every route starts with. */
    static final String PREFIX = "/vrrp";

    /** Whether {@code path} is one of these routes' (so the caller hands it here). */
    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /**
     * The route {@code method} and {@code uri} ask for.
     *
     * @throws IllegalArgumentException saying what is wrong (the message is the answer's body)
     */
    static VrrpRoute parse(String method, String uri) {
        QueryStringDecoder q = new QueryStringDecoder(uri);
        // Split before decoding, so that an instance named "a/b" (sent as a%2Fb) stays one segment.
        String rest = q.rawPath().substring(PREFIX.length());
        List<String> seg = rest.isEmpty() || rest.equals("/") ? List.of() : java.util.Arrays.stream(
                rest.substring(1).split("/", -1)).map(x -> QueryStringDecoder.decodeComponent(x,
                        java.nio.charset.StandardCharsets.UTF_8)).toList();
        if (method.equals("GET") || method.equals("HEAD")) {
            if (!seg.isEmpty()) {
                throw new IllegalArgumentException("GET " + PREFIX + " lists the instances; changes are POSTs");
            }
            return new VrrpRoute(false, null, false, false);
        }
        if (!method.equals("POST")) {
            throw new IllegalArgumentException("method " + method + ": GET to read, POST to change");
        }
        if (seg.size() != 3 || seg.get(0).isEmpty() || !seg.get(1).equals("maintenance")
                || !(seg.get(2).equals("on") || seg.get(2).equals("off"))) {
            throw new IllegalArgumentException("POST " + PREFIX + "/INSTANCE/maintenance/on or .../off");
        }
        List<String> force = q.parameters().getOrDefault("force", List.of());
        if (force.stream().anyMatch(f -> !f.equals("true") && !f.equals("false"))) {
            throw new IllegalArgumentException("force is true or false");
        }
        return new VrrpRoute(true, seg.get(0), seg.get(2).equals("on"), force.contains("true"));
    }

    /** The order's label for metrics: on, off, or list. */
    String label() {
        return !write ? "list" : on ? "on" : "off";
    }
}
