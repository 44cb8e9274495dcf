package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an instance's {@code virtual-routes} and {@code virtual-rules}: blocks with the options
 * operators write after {@code ip route add} / {@code ip rule add} (keepalived's virtual_routes and
 * virtual_rules), read over {@code vrrp.virtual-route-defaults} / {@code vrrp.virtual-rule-defaults}.
 * What the kernel would refuse for its form (a gateway of the other family, host bits in a prefix,
 * a blackhole with a next hop) is refused here, at its line.
 */
final class VirtualRouteReader {
    /** Table names every iproute2 knows (rt_tables' fixed entries); others are written as numbers. */
    private static final Map<String, Long> TABLES = Map.of("main", 254L, "local", 255L, "default", 253L);
    /** rtm_protocol names of iproute2's rt_protos (the common ones). */
    private static final Map<String, Long> PROTOCOLS = Map.ofEntries(Map.entry("redirect", 1L),
            Map.entry("kernel", 2L), Map.entry("boot", 3L), Map.entry("static", 4L), Map.entry("zebra", 11L),
            Map.entry("bird", 12L), Map.entry("dhcp", 16L), Map.entry("keepalived", 18L), Map.entry("babel", 42L),
            Map.entry("bgp", 186L), Map.entry("isis", 187L), Map.entry("ospf", 188L), Map.entry("rip", 189L));
    private static final long U32 = 0xFFFFFFFFL;

    private VirtualRouteReader() {
    }

    /** The instance's routes; null after a problem (reported). */
    static List<VirtualRoute> routes(ConfigNode n, ConfigObject defaults) {
        ConfigList list = n.list("virtual-routes");
        if (list == null) {
            return null;
        }
        List<ConfigNode> blocks = n.objectList("virtual-routes", defaults);
        boolean ok = blocks.size() == list.size();
        List<VirtualRoute> out = new ArrayList<>();
        for (ConfigNode b : blocks) {
            VirtualRoute r = route(b);
            if (r == null) {
                ok = false;
            } else if (out.contains(r)) {
                b.problemHere("this route is listed twice");
                ok = false;
            } else {
                out.add(r);
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    /** The instance's rules; null after a problem (reported). */
    static List<VirtualRule> rules(ConfigNode n, ConfigObject defaults) {
        ConfigList list = n.list("virtual-rules");
        if (list == null) {
            return null;
        }
        List<ConfigNode> blocks = n.objectList("virtual-rules", defaults);
        boolean ok = blocks.size() == list.size();
        List<VirtualRule> out = new ArrayList<>();
        for (ConfigNode b : blocks) {
            VirtualRule r = rule(b);
            if (r == null) {
                ok = false;
            } else if (out.contains(r)) {
                b.problemHere("this rule is listed twice");
                ok = false;
            } else {
                out.add(r);
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    /** One route block, read whole so every problem in it is reported; null after a problem. */
    static VirtualRoute route(ConfigNode b) {
        String toText = b.string("to");
        Optional<IpPrefix> to = toText == null ? Optional.empty() : prefix(b, "to", toText, true);
        Optional<InetAddress> via = address(b, "via");
        Optional<InetAddress> src = address(b, "src");
        Optional<String> iface = b.has("interface") ? Optional.ofNullable(VrrpReader.interfaceName(b, "interface"))
                : Optional.empty();
        boolean ok = to.isPresent() && (!b.has("interface") || iface.isPresent()) && via != null && src != null;
        Long table = table(b, "table");
        Optional<Long> metric = b.has("metric") ? Optional.ofNullable(number(b, "metric", 0, U32)) : Optional.empty();
        AddressScope scope = b.enumValue("scope", AddressScope.class);
        Long proto = named(b, "proto", PROTOCOLS, 0, 255);
        RouteType type = b.enumValue("type", RouteType.class);
        ok &= table != null && (!b.has("metric") || metric.isPresent()) && scope != null && proto != null && type != null;
        if (to.isPresent()) {
            boolean v6 = to.get().isIpv6();
            ok &= sameFamily(b, "via", via, v6) & sameFamily(b, "src", src, v6);
        }
        if (type != null && type != RouteType.UNICAST && via != null && via.isPresent()) {
            b.problem("via", "a " + type.configName() + " route has no next hop: leave via out");
            ok = false;
        } else if (type == RouteType.UNICAST && via != null && via.isEmpty() && !b.has("interface")) {
            b.problemHere("a unicast route needs via or interface (or type = blackhole | unreachable | prohibit | throw)");
            ok = false;
        }
        b.checkUnknownKeys();
        return ok ? new VirtualRoute(to.get(), via, iface, src, table, metric, scope, proto.intValue(), type) : null;
    }

    /** One rule block; null after a problem. */
    static VirtualRule rule(ConfigNode b) {
        Optional<IpPrefix> from = b.has("from") ? prefix(b, "from", b.string("from"), false) : Optional.empty();
        Optional<IpPrefix> to = b.has("to") ? prefix(b, "to", b.string("to"), false) : Optional.empty();
        boolean ok = (!b.has("from") || from.isPresent()) && (!b.has("to") || to.isPresent());
        Optional<String> family = b.optionalString("family");
        Boolean ipv6 = from.map(IpPrefix::isIpv6).or(() -> to.map(IpPrefix::isIpv6)).orElse(null);
        if (family.isPresent() && !family.get().equals("ipv4") && !family.get().equals("ipv6")) {
            b.problem("family", "unknown value \"" + family.get() + "\"; valid: ipv4, ipv6");
            ok = false;
        } else if (family.isPresent() && ipv6 != null && ipv6 != family.get().equals("ipv6")) {
            b.problem("family", "is " + family.get() + " but the rule's addresses are " + (ipv6 ? "IPv6" : "IPv4"));
            ok = false;
        }
        if (from.isPresent() && to.isPresent() && from.get().isIpv6() != to.get().isIpv6()) {
            b.problem("to", "mixes IPv4 and IPv6 with from");
            ok = false;
        }
        boolean v6 = ipv6 != null ? ipv6 : family.map(f -> f.equals("ipv6")).orElse(false);
        RuleType type = b.enumValue("type", RuleType.class);
        Long table = b.has("table") ? table(b, "table") : null;
        if (type == RuleType.TABLE && !b.has("table")) {
            b.problemHere("a rule of type table needs a table (the table it looks up)");
            ok = false;
        } else if (type != null && type != RuleType.TABLE && b.has("table")) {
            b.problem("table", "a " + type.configName() + " rule looks up no table: leave table out");
            ok = false;
        }
        Optional<Long> priority = b.has("priority") ? Optional.ofNullable(number(b, "priority", 0, U32)) : Optional.empty();
        if (!b.has("priority")) {
            // Without one the kernel numbers each add anew, so a rule already there cannot be told
            // from a missing one: every repair added another copy.
            b.problemHere("a virtual rule needs a priority (the kernel would number each add anew, and a copy"
                    + " would pile up at every repair)");
            ok = false;
        }
        Optional<Long> mark = Optional.empty();
        Optional<Long> mask = Optional.empty();
        if (b.has("fwmark")) {
            long[] m = fwmark(b);
            ok &= m != null;
            if (m != null) {
                mark = Optional.of(m[0]);
                mask = m[1] < 0 ? Optional.empty() : Optional.of(m[1]);
            }
        }
        Optional<String> iif = b.has("iif") ? Optional.ofNullable(VrrpReader.interfaceName(b, "iif")) : Optional.empty();
        Optional<String> oif = b.has("oif") ? Optional.ofNullable(VrrpReader.interfaceName(b, "oif")) : Optional.empty();
        Long proto = named(b, "proto", PROTOCOLS, 0, 255);
        ok &= type != null && proto != null && (!b.has("table") || table != null) && (!b.has("priority") || priority.isPresent())
                && (!b.has("iif") || iif.isPresent()) && (!b.has("oif") || oif.isPresent());
        b.checkUnknownKeys();
        return ok ? new VirtualRule(v6, from, to, type == RuleType.TABLE ? table : 0, priority, mark, mask, iif, oif,
                type, proto.intValue()) : null;
    }

    /** "ADDR/LEN" (or "default" where {@code allowDefault}), host bits clear; empty after a problem. */
    private static Optional<IpPrefix> prefix(ConfigNode b, String key, String text, boolean allowDefault) {
        if (text == null) {
            return Optional.empty();
        }
        if (allowDefault && (text.equals("default") || text.equals("default6"))) {
            return Addresses.parsePrefix(text.equals("default") ? "0.0.0.0/0" : "::/0");
        }
        Optional<IpPrefix> p = Addresses.parsePrefix(text);
        if (p.isEmpty()) {
            b.problem(key, "\"" + text + "\" is not an IP prefix ADDR[/LEN]" + (allowDefault ? " or default" : ""));
            return Optional.empty();
        }
        IpPrefix network = network(p.get());
        if (!network.equals(p.get())) {
            // The kernel refuses it (EINVAL: invalid prefix for given prefix length).
            b.problem(key, "\"" + text + "\" has host bits set: write " + network);
            return Optional.empty();
        }
        return p;
    }

    /** The prefix with its host bits cleared. */
    static IpPrefix network(IpPrefix p) {
        byte[] a = p.address().getAddress();
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, p.prefixLength() - i * 8));
            a[i] &= (byte) (0xFF00 >> keep);
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(a), p.prefixLength());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An optional address; empty when not set, null after a problem. */
    private static Optional<InetAddress> address(ConfigNode b, String key) {
        Optional<String> text = b.optionalString(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> a = Addresses.parse(text.get());
        if (a.isEmpty()) {
            b.problem(key, "\"" + text.get() + "\" is not an IP address");
            return null;
        }
        return a;
    }

    private static boolean sameFamily(ConfigNode b, String key, Optional<InetAddress> a, boolean v6) {
        if (a != null && a.isPresent() && (a.get() instanceof Inet6Address) != v6) {
            b.problem(key, Addresses.format(a.get()) + " is " + Addresses.family(a.get()) + " but the route's"
                    + " destination is " + (v6 ? "IPv6" : "IPv4"));
            return false;
        }
        return true;
    }

    /** A table: 1..4294967295 or main, local, default. */
    private static Long table(ConfigNode b, String key) {
        Long t = named(b, key, TABLES, 1, U32);
        if (t != null && t == 0) {
            b.problem(key, "0 is no table");
            return null;
        }
        return t;
    }

    /** A number in {@code min..max} or one of {@code names}; null after a problem. */
    private static Long named(ConfigNode b, String key, Map<String, Long> names, long min, long max) {
        ConfigValue v = b.value(key);
        if (v == null) {
            b.problemHere("missing required key " + key);
            return null;
        }
        if (v.valueType() == ConfigValueType.STRING && names.containsKey(((String) v.unwrapped()).toLowerCase(Locale.ROOT))) {
            return names.get(((String) v.unwrapped()).toLowerCase(Locale.ROOT));
        }
        Long n = parseNumber(v);
        if (n == null || n < min || n > max) {
            b.problem(key, "expected " + min + ".." + max + " or one of " + String.join(", ", new java.util.TreeSet<>(
                    names.keySet())) + ", got " + ConfigNode.describe(v));
            return null;
        }
        return n;
    }

    private static Long number(ConfigNode b, String key, long min, long max) {
        ConfigValue v = b.value(key);
        Long n = v == null ? null : parseNumber(v);
        if (n == null || n < min || n > max) {
            b.problem(key, "expected a whole number " + min + ".." + max + ", got " + (v == null ? "nothing"
                    : ConfigNode.describe(v)));
            return null;
        }
        return n;
    }

    /** A whole number written as a number, or as a string in decimal or 0x hex. */
    private static Long parseNumber(ConfigValue v) {
        Object raw = v.unwrapped();
        if (v.valueType() == ConfigValueType.NUMBER && (raw instanceof Integer || raw instanceof Long)) {
            return ((Number) raw).longValue();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            return parseNumber((String) raw);
        }
        return null;
    }

    private static Long parseNumber(String s) {
        try {
            String t = s.trim().toLowerCase(Locale.ROOT);
            return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** fwmark "MARK[/MASK]" (decimal or 0x hex) or a number: {mark, mask or -1}; null after a problem. */
    private static long[] fwmark(ConfigNode b) {
        ConfigValue v = b.value("fwmark");
        String text = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : String.valueOf(v.unwrapped());
        String[] parts = text.split("/", -1);
        Long mark = parts.length <= 2 ? parseNumber(parts[0]) : null;
        Long mask = parts.length == 2 ? parseNumber(parts[1]) : Long.valueOf(-1);
        if (mark == null || mask == null || mark < 0 || mark > U32 || mask > U32) {
            b.problem("fwmark", "\"" + text + "\" is not MARK[/MASK] (each 0..0xffffffff, decimal or 0x hex)");
            return null;
        }
        return new long[] {mark, mask};
    }
}
