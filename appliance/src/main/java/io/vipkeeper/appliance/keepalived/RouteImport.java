package io.vipkeeper.appliance.keepalived;

import java.util.List;
import java.util.Map;

/**
 * The lines of keepalived's {@code virtual_routes} and {@code virtual_rules} (the words of
 * {@code ip route add} / {@code ip rule add}, as vrrp_iproute.c and vrrp_iprule.c read them) to
 * entries of an instance's {@code virtual-routes} / {@code virtual-rules}. Words vipkeeper does not
 * carry (nexthop groups, onlink, mtu, tos, not, goto, uidrange, ...) are reported and left out of
 * the entry; a line whose destination cannot be read is left out whole.
 */
final class RouteImport {
    private static final Map<String, String> SCOPES = Map.of("0", "global", "200", "site", "253", "link", "254",
            "host", "255", "nowhere", "global", "global", "site", "site", "link", "link", "host", "host",
            "universe", "global");
    private static final List<String> ROUTE_TYPES = List.of("unicast", "blackhole", "unreachable", "prohibit", "throw");
    private static final List<String> RULE_TYPES = List.of("blackhole", "unreachable", "prohibit");

    private RouteImport() {
    }

    /** The entry for one line {@code a} of virtual_routes; null when it cannot be carried. */
    static Hocon route(ImportContext ctx, Statement a) {
        List<String> w = a.words();
        Hocon h = new Hocon();
        String to = null;
        boolean inet6 = false;
        String type = null;
        String block = "virtual_routes";
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            boolean valued = i + 1 < w.size();
            switch (word) {
                case "inet6" -> inet6 = true;
                case "inet", "no_track" -> note(ctx, a, block, word);
                case "src" -> {
                    if (valued) {
                        h.put("src", w.get(++i));
                    }
                }
                case "via", "gw" -> {
                    if (valued && (w.get(i + 1).equals("inet") || w.get(i + 1).equals("inet6"))) {
                        i++;
                    }
                    if (i + 1 < w.size()) {
                        h.put("via", w.get(++i));
                    }
                }
                case "dev", "oif" -> {
                    if (valued) {
                        h.put("interface", w.get(++i));
                    }
                }
                case "table" -> {
                    if (valued) {
                        h.put("table", table(w.get(++i)));
                    }
                }
                case "metric", "priority", "preference" -> {
                    if (valued) {
                        h.put("metric", number(w.get(++i)));
                    }
                }
                case "protocol", "proto" -> {
                    if (valued) {
                        h.put("proto", table(w.get(++i)));
                    }
                }
                case "scope" -> {
                    if (valued) {
                        String s = SCOPES.get(w.get(++i));
                        if (s == null) {
                            ctx.notes.leftOut(a.origin(), block + " scope", w.get(i) + ": vipkeeper has the scopes "
                                    + "global, site, link, host and nowhere");
                        } else if (!s.equals("global")) {
                            h.put("scope", s);
                        }
                    }
                }
                case "or", "nexthop", "mtu", "advmss", "rtt", "rttvar", "reordering", "window", "cwnd", "ssthresh",
                        "realms", "rto_min", "initcwnd", "initrwnd", "features", "quickack", "congctl", "pref",
                        "expires", "encap", "vrf", "tos", "dsfield", "hoplimit", "fastopen_no_cookie", "track_group" -> {
                    if (word.equals("nexthop") || word.equals("or")) {
                        // Without its nexthops the route has no gateway: left out whole, not written half.
                        ctx.notes.leftOut(a.origin(), block + " " + word, "vipkeeper's virtual routes have one "
                                + "gateway (no nexthop groups): \"" + String.join(" ", w) + "\" is left out; write "
                                + "one route per gateway with different metrics, or keep it in keepalived");
                        return null;
                    }
                    ctx.notes.leftOut(a.origin(), block + " " + word, "vipkeeper's virtual routes carry to, via, "
                            + "dev, src, table, metric, scope, proto and type; the route is imported without "
                            + String.join(" ", w.subList(i, w.size())));
                    i = w.size();
                }
                case "onlink", "add", "append", "prepend", "lock" -> ctx.notes.leftOut(a.origin(), block + " " + word,
                        "vipkeeper adds routes as ip route add does (no onlink, no prepend/append)");
                default -> {
                    if (word.equals("to") && valued) {
                        word = w.get(++i);
                        valued = i + 1 < w.size();
                    }
                    if (ROUTE_TYPES.contains(word) && valued) {
                        type = word;
                        word = w.get(++i);
                    }
                    if (to != null || !(word.equals("default") || word.equals("any") || word.equals("all")
                            || Character.isDigit(word.charAt(0)) || word.contains(":"))) {
                        ctx.notes.leftOut(a.origin(), block, "\"" + String.join(" ", w) + "\": unknown word " + word
                                + "; the line is left out");
                        return null;
                    }
                    to = word;
                }
            }
        }
        if (to == null) {
            ctx.notes.leftOut(a.origin(), block, "\"" + String.join(" ", w) + "\" has no destination; left out");
            return null;
        }
        if (!namesKnown(ctx, a, block, h)) {
            return null;
        }
        if (w.contains("no_track") || !(w.contains("dev") || w.contains("oif"))) {
            // keepalived tracks a route with a dev unless no_track, and resets its protocol for that.
        } else {
            Hocon kept = new Hocon();
            h.forEach((k, v) -> {
                if (k.equals("proto") && !v.equals("keepalived") && !v.equals(18L)) {
                    ctx.notes.fallback(a.origin(), block + " protocol", "keepalived tracks a route with a dev and "
                            + "resets its protocol to keepalived (18) for that, and so does the import (no_track "
                            + "keeps the protocol)");
                } else {
                    kept.put(k, v);
                }
            });
            h = kept;
        }
        Hocon out = new Hocon();
        // keepalived takes a default route's family from its gateway or source when -6 is not given.
        boolean[] gateway6 = {false};
        h.forEach((k, v) -> gateway6[0] |= (k.equals("via") || k.equals("src")) && String.valueOf(v).contains(":"));
        boolean v6 = inet6 || to.contains(":") || gateway6[0];
        out.put("to", to.equals("default") || to.equals("any") || to.equals("all") ? (v6 ? "default6" : "default") : to);
        h.forEach(out::put);
        if (type != null && !type.equals("unicast")) {
            out.put("type", type);
        }
        return out;
    }

    /** The entry for one line {@code a} of virtual_rules; null when it cannot be carried. */
    static Hocon rule(ImportContext ctx, Statement a) {
        List<String> w = a.words();
        Hocon h = new Hocon();
        String block = "virtual_rules";
        boolean inet6 = false;
        boolean addressed = false;
        boolean prioritised = false;
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            boolean valued = i + 1 < w.size();
            switch (word) {
                case "inet6" -> inet6 = true;
                case "inet", "no_track" -> note(ctx, a, block, word);
                case "from", "to" -> {
                    if (valued) {
                        String p = w.get(++i);
                        if (!p.equals("all") && !p.equals("any") && !p.equals("default")) {
                            h.put(word, p);
                            addressed = true;
                            inet6 |= p.contains(":");
                        }
                    }
                }
                case "table", "lookup" -> {
                    if (valued) {
                        h.put("table", table(w.get(++i)));
                    }
                }
                case "priority", "preference", "order" -> {
                    if (valued) {
                        h.put("priority", number(w.get(++i)));
                        prioritised = true;
                    }
                }
                case "fwmark" -> {
                    if (valued) {
                        h.put("fwmark", w.get(++i));
                    }
                }
                case "iif", "dev" -> {
                    if (valued) {
                        h.put("iif", w.get(++i));
                    }
                }
                case "oif" -> {
                    if (valued) {
                        h.put("oif", w.get(++i));
                    }
                }
                case "protocol", "proto" -> {
                    if (valued) {
                        h.put("proto", table(w.get(++i)));
                    }
                }
                case "type" -> {
                    if (valued && RULE_TYPES.contains(w.get(i + 1))) {
                        h.put("type", w.get(++i));
                    }
                }
                default -> {
                    if (RULE_TYPES.contains(word)) {
                        h.put("type", word);
                    } else {
                        ctx.notes.leftOut(a.origin(), block + " " + word, "vipkeeper's virtual rules carry from, "
                                + "to, table, priority, fwmark, iif, oif and blackhole/unreachable/prohibit; the "
                                + "line is left out");
                        return null;
                    }
                }
            }
        }
        if (!prioritised) {
            long priority = ctx.nextRulePriority++;
            h.put("priority", priority);
            ctx.notes.note(a.origin(), block, "no preference: keepalived numbers such rules from 16384 on; written "
                    + "as priority " + priority + " (vipkeeper needs one to know its rule is there)");
        }
        if (!namesKnown(ctx, a, block, h)) {
            return null;
        }
        if (inet6 && !addressed) {
            h.put("family", "ipv6");
        }
        return h;
    }

    private static void note(ImportContext ctx, Statement a, String block, String word) {
        if (word.equals("no_track")) {
            ctx.notes.note(a.origin(), block + " no_track", "vipkeeper never bounces the instance over a deleted "
                    + "route or rule; it puts it back while MASTER");
        }
    }

    /** A number (kept as one) or a name (a string). */
    private static Object table(String s) {
        return number(s);
    }

    /**
     * Whether {@code h}'s table and proto are numbers or names vipkeeper knows (rt_tables' fixed
     * entries, iproute2's common protocols); else the line is reported.
     */
    private static boolean namesKnown(ImportContext ctx, Statement a, String block, Hocon h) {
        boolean[] ok = {true};
        h.forEach((k, v) -> {
            boolean known = !(v instanceof String s) || !(k.equals("table") || k.equals("proto"))
                    || (k.equals("table") ? TABLE_NAMES : PROTO_NAMES).contains(s);
            if (!known) {
                ctx.notes.leftOut(a.origin(), block + " " + k, v + ": vipkeeper knows the tables main, local and "
                        + "default and iproute2's common protocol names by name: write the number from rt_tables"
                        + " / rt_protos; the line is left out");
                ok[0] = false;
            }
        });
        return ok[0];
    }

    private static final List<String> TABLE_NAMES = List.of("main", "local", "default");
    private static final List<String> PROTO_NAMES = List.of("redirect", "kernel", "boot", "static", "zebra", "bird",
            "dhcp", "keepalived", "babel", "bgp", "isis", "ospf", "rip");

    private static Object number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }
}
