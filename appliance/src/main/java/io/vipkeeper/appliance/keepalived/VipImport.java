package io.vipkeeper.appliance.keepalived;

import java.util.List;
import java.util.Map;

/**
 * One line of keepalived's {@code virtual_ipaddress} or {@code virtual_ipaddress_excluded}:
 * {@code ADDR[/PREFIX] [dev IF] [scope SCOPE] [label LABEL] [brd ADDR]} to an entry of
 * {@code virtual-ips} / {@code excluded-ips}: the bare address, or a block when it has options.
 * keepalived's other per-address words (peer, home, -nodad, noprefixroute, autojoin, track and
 * no_track) are reported.
 */
final class VipImport {
    /** keepalived's scope numbers (rt_scope_t) to vipkeeper's names. */
    private static final Map<String, String> SCOPES = Map.of("0", "global", "200", "site", "253", "link", "254",
            "host", "255", "nowhere", "global", "global", "site", "site", "link", "link", "host", "host");

    private VipImport() {
    }

    /** The entry for {@code a}, a child line of the block. */
    static Object map(ImportContext ctx, Statement a, String block) {
        List<String> w = a.words();
        Hocon h = new Hocon().put("address", a.keyword());
        for (int i = 1; i < w.size(); i++) {
            String option = w.get(i);
            boolean valued = i + 1 < w.size();
            switch (option) {
                case "dev" -> {
                    if (valued) {
                        h.put("interface", w.get(++i));
                    }
                }
                case "label" -> {
                    if (valued) {
                        h.put("label", w.get(++i));
                    }
                }
                case "brd" -> {
                    if (valued) {
                        h.put("broadcast", w.get(++i));
                    }
                }
                case "scope" -> {
                    if (valued) {
                        String scope = SCOPES.get(w.get(++i));
                        if (a.keyword().contains(":") && !"global".equals(scope)) {
                            ctx.notes.leftOut(a.origin(), block + " scope", "an IPv6 address takes its scope from the "
                                    + "address (the kernel ignores the one given)");
                        } else if (scope == null) {
                            ctx.notes.leftOut(a.origin(), block + " scope", w.get(i) + ": vipkeeper has the scopes "
                                    + "global, site, link, host and nowhere");
                        } else if (!scope.equals("global")) {
                            h.put("scope", scope);
                        }
                    }
                }
                case "peer" -> {
                    i++;
                    ctx.notes.leftOut(a.origin(), block + " peer", "vipkeeper puts no point-to-point addresses; "
                            + "add the peer from a notify program");
                }
                default -> ctx.notes.leftOut(a.origin(), block + " " + option, "vipkeeper puts addresses with dev, "
                        + "scope, label and brd only (and never DAD on IPv6 VIPs, as keepalived's -nodad)");
            }
        }
        int[] fields = {0};
        h.forEach((k, v) -> fields[0]++);
        return fields[0] == 1 ? a.keyword() : h;
    }
}
