package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.ConfigName;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.Durations;
import io.vipkeeper.appliance.config.Program;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.Settings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a reload changes, in words an operator reads: {@code web: priority 150 -> 160},
 * {@code virtual server web 198.18.1.13:8080: weight 1 -> 3}, {@code virtual server api added},
 * {@code api.listen 127.0.0.1:9180 -> 0.0.0.0:9180}. It walks the two loads of the config as the
 * records they are, names each setting as the file spells it (priority, advert-interval) and
 * prints values as the file would (durations as 100ms, addresses bare, none for an absent value).
 * Real servers are matched by address and port, not by their place in the list. Secrets are never
 * printed: a changed {@code authentication} (or any part named like a key, password or token) and a
 * changed program to run (whose command line may carry one) are only said to have changed.
 */
final class ChangeWords {
    private static final Set<String> SECRET = Set.of("authentication", "password", "key", "secret", "token");
    /** Parts of Settings that are not settings (where it was read from, its digest, its warnings). */
    private static final Set<String> NOT_SETTINGS = Set.of("source", "digest", "warnings");

    private ChangeWords() {
    }

    /** Every change from {@code before} to {@code after}, in config order; empty when there is none. */
    static List<String> between(Settings before, Settings after) {
        List<String> out = new ArrayList<>();
        named(out, "", before.vrrp().instances(), after.vrrp().instances(), "vrrp instance ");
        named(out, "virtual server ", before.ipvs().virtualServers(), after.ipvs().virtualServers(), "virtual server ");
        walk(out, "", before.withoutNamedEntries(), after.withoutNamedEntries());
        return List.copyOf(out);
    }

    /** A map of named entries: each added, removed, or its changed parts prefixed "NAME:". */
    private static void named(List<String> out, String prefix, Map<String, ?> before, Map<String, ?> after, String kind) {
        after.forEach((name, v) -> {
            Object old = before.get(name);
            if (old == null) {
                out.add(kind + name + " added");
            } else if (!old.equals(v)) {
                walk(out, prefix + name + ":", old, v);
            }
        });
        before.keySet().stream().filter(n -> !after.containsKey(n)).forEach(n -> out.add(kind + n + " removed"));
    }

    private static void walk(List<String> out, String path, Object a, Object b) {
        if (java.util.Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.getClass() == b.getClass() && a.getClass().isRecord()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                String name = c.getName();
                if (path.isEmpty() && NOT_SETTINGS.contains(name)) {
                    continue;
                }
                String sub = join(path, kebab(name));
                if (spelledAsTheFile(out, path, name, value(c, a), value(c, b))) {
                    continue;
                }
                if (SECRET.contains(name) || hidesItsValue(value(c, a)) || hidesItsValue(value(c, b))) {
                    if (!java.util.Objects.equals(value(c, a), value(c, b))) {
                        out.add(sub + " changed");
                    }
                } else if (name.equals("realServers")) {
                    realServers(out, path, list(value(c, a)), list(value(c, b)));
                } else {
                    walk(out, sub, value(c, a), value(c, b));
                }
            }
            return;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<String> keys = new TreeSet<>();
            ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
            mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                Object va = ma.get(k);
                Object vb = mb.get(k);
                if (va == null) {
                    out.add(join(path, k) + " added");
                } else if (vb == null) {
                    out.add(join(path, k) + " removed");
                } else {
                    walk(out, join(path, k) + ":", va, vb);
                }
            }
            return;
        }
        out.add(path + " " + show(a) + " -> " + show(b));
    }

    /**
     * The settings whose model differs from what the file says, said as the file says them
     * ({@code api.socket-read all -> control-group}, {@code api.write off -> on}); false for the rest.
     */
    private static boolean spelledAsTheFile(List<String> out, String path, String name, Object a, Object b) {
        if (java.util.Objects.equals(a, b)) {
            return false;
        }
        switch (name) {
            case "socketReadsRestricted" -> out.add(join(path, "socket-read") + " " + (Boolean.TRUE.equals(a) ? "control-group" : "all")
                    + " -> " + (Boolean.TRUE.equals(b) ? "control-group" : "all"));
            case "write" -> out.add(join(path, "write") + " " + (Boolean.TRUE.equals(a) ? "on" : "off") + " -> "
                    + (Boolean.TRUE.equals(b) ? "on" : "off"));
            // The token file's tokens (read again at each load) and the TLS files: only that they changed.
            case "tokens" -> out.add(join(path, "token-file") + " (its tokens) changed");
            case "tls" -> out.add(join(path, "tls") + " changed");
            // An instance's addresses: its virtual-ips as such are said by virtualIps; left to say
            // are the excluded ones and the options of either (interface, scope, label, broadcast).
            case "addresses" -> addresses(out, path, (List<?>) a, (List<?>) b);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void addresses(List<String> out, String path, List<?> a, List<?> b) {
        List<String> before = a.stream().map(String::valueOf).toList();
        List<String> after = b.stream().map(String::valueOf).toList();
        List<String> excludedBefore = before.stream().filter(v -> v.endsWith(" (excluded)")).toList();
        List<String> excludedAfter = after.stream().filter(v -> v.endsWith(" (excluded)")).toList();
        if (!excludedBefore.equals(excludedAfter)) {
            out.add(join(path, "excluded-ips") + " " + strip(excludedBefore) + " -> " + strip(excludedAfter));
        }
        List<String> vipsBefore = before.stream().filter(v -> !v.endsWith(" (excluded)")).toList();
        List<String> vipsAfter = after.stream().filter(v -> !v.endsWith(" (excluded)")).toList();
        if (!vipsBefore.equals(vipsAfter) && prefixes(vipsBefore).equals(prefixes(vipsAfter))) {
            out.add(join(path, "virtual-ips") + " " + vipsBefore + " -> " + vipsAfter);
        }
    }

    private static List<String> strip(List<String> excluded) {
        return excluded.stream().map(v -> v.substring(0, v.length() - " (excluded)".length())).toList();
    }

    /** The addresses without their options ("198.18.0.1/24 dev eth1" to "198.18.0.1/24"). */
    private static List<String> prefixes(List<String> vips) {
        return vips.stream().map(v -> v.split(" ")[0]).toList();
    }

    /**
     * Whether a value is a program to run (a notify or check script): its command line may carry
     * a credential (--token=...), and the summary goes to the log and to every local reader of
     * /status, so only that it changed is said.
     */
    private static boolean hidesItsValue(Object v) {
        if (v instanceof Optional<?> o) {
            return o.filter(Program.class::isInstance).isPresent();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().anyMatch(Program.class::isInstance);
        }
        return v instanceof Program;
    }

    /** Real servers by address:port: added, removed, or their changed parts. */
    private static void realServers(List<String> out, String path, List<?> a, List<?> b) {
        Map<String, RealServer> before = byEndpoint(a);
        Map<String, RealServer> after = byEndpoint(b);
        String vs = path.endsWith(":") ? path.substring(0, path.length() - 1) : path;
        after.forEach((ep, rs) -> {
            RealServer old = before.get(ep);
            if (old == null) {
                out.add(vs + " " + ep + " added");
            } else {
                walk(out, vs + " " + ep + ":", old, rs);
            }
        });
        before.keySet().stream().filter(ep -> !after.containsKey(ep)).forEach(ep -> out.add(vs + " " + ep + " removed"));
    }

    private static Map<String, RealServer> byEndpoint(List<?> servers) {
        Map<String, RealServer> m = new LinkedHashMap<>();
        for (Object o : servers) {
            RealServer rs = (RealServer) o;
            m.put(rs.port() == 0 ? Addresses.format(rs.address()) : Addresses.format(new InetSocketAddress(rs.address(), rs.port())), rs);
        }
        return m;
    }

    private static String show(Object v) {
        if (v == null) {
            return "none";
        }
        if (v instanceof Optional<?> o) {
            return o.map(ChangeWords::show).orElse("none");
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof InetSocketAddress s) {
            return Addresses.format(s);
        }
        if (v instanceof InetAddress a) {
            return Addresses.format(a);
        }
        if (v instanceof ConfigName n) {
            return n.configName();
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (v instanceof Collection<?> c) {
            List<String> items = new ArrayList<>();
            c.forEach(i -> items.add(show(i)));
            return "[" + String.join(", ", items) + "]";
        }
        if (v instanceof String s) {
            return s.isEmpty() ? "\"\"" : s;
        }
        return String.valueOf(v);
    }

    private static Object value(RecordComponent c, Object record) {
        try {
            java.lang.reflect.Method accessor = c.getAccessor();
            accessor.setAccessible(true); // nested config records may be package-private
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass().getSimpleName(), e);
        }
    }

    private static List<?> list(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    private static String join(String path, String name) {
        if (path.isEmpty()) {
            return name;
        }
        return path.endsWith(":") ? path + " " + name : path + "." + name;
    }

    /** advertInterval -> advert-interval, as the file spells it (interfaceName is interface there). */
    static String kebab(String camel) {
        if (camel.equals("interfaceName")) {
            return "interface";
        }
        StringBuilder b = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('-').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
