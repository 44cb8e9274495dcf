package io.vipkeeper.appliance.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The IPVS fault lab's model of its config file: a NAT+SNAT service {@code web} over the HTTP
 * backends (checked), a direct-routing firewall-mark service {@code mark} (not checked), and a
 * NAT service {@code alt} that reloads add and remove. Immutable; {@link #render()} writes the
 * file, and the expected kernel table is derived from it ({@link IpvsChaosExpected}), never from
 * what the daemon reports.
 *
 * @param schedulers scheduler by service name ({@link #WEB}, {@link #MARK})
 * @param weights real servers by service name: address's last octet to weight, in address order
 * @param alt whether {@code alt} is configured
 */
record IpvsChaosConfig(Map<String, String> schedulers, Map<String, SortedMap<Integer, Integer>> weights, boolean alt) {
    static final String VIP = "198.18.1.100";
    static final String WEB = "web";
    static final String MARK = "mark";
    static final String ALT = "alt";
    static final int FWMARK = 7;
    static final String API = "127.0.0.1:9180";
    /** Reconcile interval of the lab's daemon, in ms: short, so that a repair is seen quickly. */
    static final long INTERVAL_MS = 1000;
    /** Drain timeout in ms: a removed real server is deleted after it, with or without connections. */
    static final long DRAIN_MS = 2000;
    /** Health checks of {@code web}: interval, timeout, rise, fall. */
    static final long CHECK_INTERVAL_MS = 500;
    static final long CHECK_TIMEOUT_MS = 400;
    static final int RISE = 2;
    static final int FALL = 2;
    /** Last octets of the web backends (198.18.1.N, HTTP on port 80) and of the mark's DR servers. */
    static final List<Integer> WEB_SERVERS = List.of(11, 12, 13);
    static final List<Integer> MARK_SERVERS = List.of(21, 22, 23);
    /** Schedulers a reload or a hand edit may choose (the VM loads these modules). */
    static final List<String> SCHEDULERS = List.of("rr", "wrr", "wlc", "lc", "sed", "nq");

    IpvsChaosConfig {
        schedulers = Map.copyOf(schedulers);
        Map<String, SortedMap<Integer, Integer>> copy = new LinkedHashMap<>();
        weights.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        weights = java.util.Collections.unmodifiableMap(copy);
    }

    /** The config the lab starts with: two web backends of three, two DR servers of three, no alt. */
    static IpvsChaosConfig initial() {
        return new IpvsChaosConfig(Map.of(WEB, "wrr", MARK, "rr"),
                Map.of(WEB, new TreeMap<>(Map.of(11, 1, 12, 2)), MARK, new TreeMap<>(Map.of(21, 1, 22, 1))), false);
    }

    /** ipvsadm's name of a service: {@code -t 198.18.1.100:80}, {@code -f 7}. */
    static String serviceId(String name) {
        return switch (name) {
            case WEB -> "-t " + VIP + ":80";
            case ALT -> "-t " + VIP + ":8080";
            case MARK -> "-f " + FWMARK;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Services the config names (web and mark always). */
    List<String> services() {
        return alt ? List.of(WEB, MARK, ALT) : List.of(WEB, MARK);
    }

    /** Whether web's health checks decide (the others are type none: always up). */
    static boolean checked(String service) {
        return service.equals(WEB);
    }

    /** A real server's {@code ADDR:PORT} as ipvsadm prints it in {@code service}. */
    static String realServer(String service, int octet) {
        return "198.18.1." + octet + ":" + switch (service) {
            case WEB -> 80;
            case ALT -> 8080;
            default -> 0;
        };
    }

    /** ipvsadm's forwarding flag of a service's real servers. */
    static String forwarding(String service) {
        return service.equals(MARK) ? "-g" : "-m";
    }

    /** Real servers of {@code service}: last octet to weight. */
    SortedMap<Integer, Integer> realServers(String service) {
        if (service.equals(ALT)) {
            return new TreeMap<>(Map.of(11, 1));
        }
        return weights.get(service);
    }

    String scheduler(String service) {
        return service.equals(ALT) ? "rr" : schedulers.get(service);
    }

    IpvsChaosConfig withScheduler(String service, String scheduler) {
        Map<String, String> s = new LinkedHashMap<>(schedulers);
        s.put(service, scheduler);
        return new IpvsChaosConfig(s, weights, alt);
    }

    /** With real server {@code octet} of {@code service} at {@code weight} (added if new), or removed if null. */
    IpvsChaosConfig withRealServer(String service, int octet, Integer weight) {
        Map<String, SortedMap<Integer, Integer>> w = new LinkedHashMap<>(weights);
        SortedMap<Integer, Integer> rs = new TreeMap<>(w.get(service));
        if (weight == null) {
            rs.remove(octet);
        } else {
            rs.put(octet, weight);
        }
        w.put(service, rs);
        return new IpvsChaosConfig(schedulers, w, alt);
    }

    IpvsChaosConfig withAlt(boolean on) {
        return new IpvsChaosConfig(schedulers, weights, on);
    }

    /** The config file. */
    String render() {
        StringBuilder sb = new StringBuilder();
        // Debug: every reconcile run logs its time, from which the bounds take R (IpvsChaosRunClock).
        sb.append("vipkeeper {\n")
                .append("  log-level = debug\n")
                .append("  api.listen = \"").append(API).append("\"\n")
                .append("  ipvs {\n")
                .append("    reconcile-interval = ").append(INTERVAL_MS).append("ms\n")
                .append("    drain-timeout = ").append(DRAIN_MS).append("ms\n")
                .append("    virtual-servers {\n");
        sb.append("      ").append(WEB).append(" {\n")
                .append("        address = \"").append(VIP).append("\"\n")
                .append("        port = 80\n")
                .append("        scheduler = ").append(scheduler(WEB)).append('\n')
                .append("        snat = true\n")
                .append("        health-check { type = http, interval = ").append(CHECK_INTERVAL_MS)
                .append("ms, timeout = ").append(CHECK_TIMEOUT_MS).append("ms, rise = ").append(RISE)
                .append(", fall = ").append(FALL).append(", http.path = \"/\" }\n");
        realServers(sb, WEB);
        sb.append("      }\n");
        sb.append("      ").append(MARK).append(" {\n")
                .append("        fwmark = ").append(FWMARK).append('\n')
                .append("        forwarding = dr\n")
                .append("        scheduler = ").append(scheduler(MARK)).append('\n')
                .append("        health-check.type = none\n");
        realServers(sb, MARK);
        sb.append("      }\n");
        if (alt) {
            sb.append("      ").append(ALT).append(" {\n")
                    .append("        address = \"").append(VIP).append("\"\n")
                    .append("        port = 8080\n")
                    .append("        scheduler = rr\n")
                    .append("        health-check.type = none\n");
            realServers(sb, ALT);
            sb.append("      }\n");
        }
        sb.append("    }\n  }\n}\n");
        return sb.toString();
    }

    private void realServers(StringBuilder sb, String service) {
        List<String> list = new ArrayList<>();
        realServers(service).forEach((octet, weight) -> list.add("{ address = \"198.18.1." + octet + "\", weight = "
                + weight + " }"));
        sb.append("        real-servers = [\n");
        list.forEach(l -> sb.append("          ").append(l).append('\n'));
        sb.append("        ]\n");
    }

    /** One line for the timeline. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        for (String s : services()) {
            sb.append(s).append('(').append(scheduler(s)).append(' ').append(realServers(s)).append(") ");
        }
        return sb.toString().strip();
    }

    /** SHA-256 of {@code text} as lowercase hex (the status API's configDigest of a file without includes). */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Services owned by the daemon under any config the lab writes (alt included). */
    static Set<String> ownedIds() {
        return Set.of(serviceId(WEB), serviceId(MARK), serviceId(ALT));
    }
}
