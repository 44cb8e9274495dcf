package io.vipkeeper.appliance.api;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vipkeeper.appliance.pool.BackendOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The runtime backend routes, parsed from a request's method and path (segments percent-decoded,
 * so an IPv6 backend may come as {@code %5B2001%3Adb8%3A%3A1%5D%3A80}):
 *
 * <pre>
 * GET  /backends                          every virtual server's backends, with admin state and weight origin
 * GET  /backends/VS                       one virtual server's
 * POST /backends/VS/RS/drain              weight 0 until enabled; established connections finish
 * POST /backends/VS/RS/disable            out of the table now
 * POST /backends/VS/RS/enable             back to the config: enabled at the config weight
 * POST /backends/VS/RS/weight/N           runtime weight N (0..65535) in place of the config's
 * POST /backends/VS/RS/add                 a runtime backend (not in the file) at the default weight
 * POST /backends/VS/RS/add/N               the same at weight N (0..65535): the weight is a path segment,
 *                                          as weight/N's is, so that no order has a query or a body
 * POST /backends/VS/RS/remove              a runtime backend drained (weight 0 until its connections
 *                                          end or drain-timeout passes), then deleted
 * </pre>
 *
 * VS is the virtual server's name in the config, RS the backend as {@code ADDR:PORT} (or the bare
 * address when only one backend has it; for add the bare address means the service's port). A
 * request body is ignored.
 *
 * @param write whether it changes state (POST)
 * @param virtualServer the name; null for the whole list
 * @param backend the backend as given; null for a read
 * @param order what to do; null for a read
 * @param weight the runtime weight for {@link BackendOrder#WEIGHT}, the weight of {@link BackendOrder#ADD}
 *     when given; null otherwise
 */
record BackendRoute(boolean write, String virtualServer, String backend, BackendOrder order, Integer weight) {
    /** The path every route starts with. */
    static final String PREFIX = "/backends";
    /** The actions, for messages. */
    private static final String ACTIONS = "drain, disable, enable, weight/N, add[/N] or remove";

    /** Whether {@code path} is one of these routes' (so the caller hands it here). */
    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /**
     * The route {@code method} and {@code path} ask for.
     *
     * @throws IllegalArgumentException saying what is wrong (the message is the answer's body)
     */
    static BackendRoute parse(String method, String path) {
        List<String> seg = segments(path);
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (read) {
            if (seg.size() > 1) {
                throw new IllegalArgumentException("GET " + PREFIX + " or " + PREFIX + "/VS; changes are POSTs");
            }
            return new BackendRoute(false, seg.isEmpty() ? null : seg.get(0), null, null, null);
        }
        if (!method.equals("POST")) {
            throw new IllegalArgumentException("method " + method + ": GET to read, POST to change");
        }
        if (seg.size() < 3) {
            throw new IllegalArgumentException("POST " + PREFIX + "/VS/RS/ACTION; ACTION is " + ACTIONS);
        }
        BackendOrder order = BackendOrder.of(seg.get(2)).orElseThrow(() -> new IllegalArgumentException("unknown action \""
                + seg.get(2) + "\": " + ACTIONS));
        Integer weight = null;
        if (order == BackendOrder.WEIGHT) {
            if (seg.size() != 4) {
                throw new IllegalArgumentException("POST " + PREFIX + "/VS/RS/weight/N with N in 0..65535");
            }
            weight = weight(seg.get(3));
        } else if (order == BackendOrder.ADD) {
            if (seg.size() > 4) {
                throw new IllegalArgumentException("POST " + PREFIX + "/VS/RS/add or " + PREFIX + "/VS/RS/add/N with N in 0..65535");
            }
            weight = seg.size() == 4 ? weight(seg.get(3)) : null;
        } else if (seg.size() != 3) {
            throw new IllegalArgumentException("POST " + PREFIX + "/VS/RS/" + order.label() + " takes nothing after the action");
        }
        return new BackendRoute(true, seg.get(0), seg.get(1), order, weight);
    }

    private static Integer weight(String text) {
        try {
            int w = Integer.parseInt(text);
            if (w >= 0 && w <= io.vipkeeper.appliance.pool.BackendAdmin.MAX_WEIGHT) {
                return w;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException("weight \"" + text + "\" is not an integer in 0..65535");
    }

    /** The decoded segments after the prefix; a segment may not be empty. */
    private static List<String> segments(String path) {
        if (!owns(path)) {
            throw new IllegalArgumentException("not a " + PREFIX + " path");
        }
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return List.of();
        }
        List<String> seg = Arrays.stream(rest.substring(1).split("/", -1))
                .map(s -> QueryStringDecoder.decodeComponent(s, StandardCharsets.UTF_8)).toList();
        if (seg.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("empty segment in " + path);
        }
        return seg;
    }

    /** The order's label for metrics: the action, or "list" for a read. */
    String label() {
        return Optional.ofNullable(order).map(BackendOrder::label).orElse("list");
    }
}
