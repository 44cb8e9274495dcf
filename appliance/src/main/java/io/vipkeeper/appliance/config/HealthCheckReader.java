package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.vipkeeper.appliance.config.HealthCheck.Bytes;
import io.vipkeeper.appliance.config.HealthCheck.Dns;
import io.vipkeeper.appliance.config.HealthCheck.DnsType;
import io.vipkeeper.appliance.config.HealthCheck.HealthCheckType;
import io.vipkeeper.appliance.config.HealthCheck.Http;
import io.vipkeeper.appliance.config.HealthCheck.InitialState;
import io.vipkeeper.appliance.config.HealthCheck.StatusRange;
import io.vipkeeper.appliance.config.HealthCheck.Tls;
import io.vipkeeper.appliance.config.HealthCheck.Udp;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and checks a {@code health-check} block: a virtual server's, or a real server's overrides
 * merged over it. Every sub-block is read (so typos are found whatever the type), but only the
 * settings of the check's own type are kept.
 */
final class HealthCheckReader {
    private static final Duration MS10 = Duration.ofMillis(10);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final String HEX_PREFIX = "hex:";
    /** A status code or a range of them: {@code 200}, {@code "200-299"}. */
    private static final Pattern STATUS = Pattern.compile("(\\d{1,3})(?:\\s*-\\s*(\\d{1,3}))?");

    private HealthCheckReader() {
    }

    static HealthCheck read(ConfigNode h) {
        HealthCheckType type = h.enumValue("type", HealthCheckType.class);
        Duration interval = h.duration("interval", MS10, HOUR);
        Duration timeout = h.duration("timeout", MS10, HOUR);
        Integer rise = h.integer("rise", 1, 100);
        Integer fall = h.integer("fall", 1, 100);
        if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
            h.problem("timeout", Durations.format(timeout) + " is longer than the interval " + Durations.format(interval));
        }
        Optional<InetAddress> connectAddress = h.optionalString("connect-address").flatMap(s -> {
            Optional<InetAddress> a = Addresses.parse(s);
            if (a.isEmpty()) {
                h.problem("connect-address", "\"" + s + "\" is not an IP address");
            }
            return a;
        });
        boolean connectAddressOk = !h.has("connect-address") || connectAddress.isPresent();
        Integer port = h.has("connect-port") ? h.integer("connect-port", 1, 65535) : Integer.valueOf(0);
        InitialState initial = h.enumValue("initial-state", InitialState.class);
        Optional<Http> http = http(h.child("http"));
        Optional<Tls> tls = tls(h.child("tls"));
        Optional<Udp> udp = udp(h.child("udp"));
        Optional<Dns> dns = dns(h.child("dns"));
        Optional<Program> script = script(h.child("script"), timeout);
        h.checkUnknownKeys();
        if (type == HealthCheckType.DNS && dns != null && dns.isEmpty()) {
            h.problem("type", "dns needs dns.name, the name to query");
            return null;
        }
        if (type == HealthCheckType.SCRIPT && script != null && script.isEmpty()) {
            h.problem("type", "script needs script.command, the program to run");
            return null;
        }
        if (type == null || interval == null || timeout == null || rise == null || fall == null || !connectAddressOk
                || port == null || initial == null || http == null || tls == null || udp == null || dns == null
                || script == null) {
            return null;
        }
        boolean web = type == HealthCheckType.HTTP || type == HealthCheckType.HTTPS;
        return new HealthCheck(type, interval, timeout, rise, fall, connectAddress,
                port == 0 ? OptionalInt.empty() : OptionalInt.of(port), initial,
                web ? http : Optional.empty(),
                type == HealthCheckType.HTTPS ? tls : Optional.empty(),
                type == HealthCheckType.UDP ? udp : Optional.empty(),
                type == HealthCheckType.DNS ? dns : Optional.empty(),
                type == HealthCheckType.SCRIPT ? script : Optional.empty());
    }

    /** The http block; null if it has a problem. */
    private static Optional<Http> http(ConfigNode n) {
        String path = n.string("path");
        if (path != null && !path.startsWith("/")) {
            n.problem("path", "\"" + path + "\" does not start with /");
            path = null;
        }
        Optional<String> host = n.optionalString("virtual-host");
        List<StatusRange> status = statusRanges(n);
        Optional<String> regex = n.optionalString("body-regex");
        boolean regexOk = true;
        if (regex.isPresent()) {
            try {
                Pattern.compile(regex.get());
            } catch (PatternSyntaxException e) {
                n.problem("body-regex", "does not compile: " + e.getDescription() + " near index " + e.getIndex());
                regexOk = false;
            }
        }
        Optional<String> sha = n.optionalString("body-sha256").map(s -> s.toLowerCase(Locale.ROOT));
        boolean shaOk = sha.isEmpty() || sha.get().matches("[0-9a-f]{64}");
        if (!shaOk) {
            n.problem("body-sha256", "\"" + sha.get() + "\" is not 64 hex digits");
        }
        if (regex.isPresent() && sha.isPresent()) {
            n.problem("body-sha256", "give body-regex or body-sha256, not both");
            shaOk = false;
        }
        n.checkUnknownKeys();
        if (path == null || status == null || !regexOk || !shaOk) {
            return null;
        }
        return Optional.of(new Http(path, host, status, regex, sha));
    }

    /** Codes 100..599 and ranges "FROM-TO" within them; null if any is wrong or none is given. */
    private static List<StatusRange> statusRanges(ConfigNode n) {
        ConfigList list = n.list("status");
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            n.problem("status", "needs at least one status code");
            return null;
        }
        List<StatusRange> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            StatusRange r = statusRange(v);
            String where = n.path("status") + "[" + i + "]: ";
            if (r == null) {
                n.problems().add(v.origin(), where + "expected a status code or a range such as \"200-299\", got "
                        + ConfigNode.describe(v));
                ok = false;
            } else if (r.from() < 100 || r.to() > 599 || r.from() > r.to()) {
                n.problems().add(v.origin(), where + r + " is not a status code or range within 100..599");
                ok = false;
            } else {
                out.add(r);
            }
        }
        return ok ? out : null;
    }

    private static StatusRange statusRange(ConfigValue v) {
        Object raw = v.unwrapped();
        if (v.valueType() == ConfigValueType.NUMBER && (raw instanceof Integer || raw instanceof Long)) {
            int code = ((Number) raw).intValue();
            return new StatusRange(code, code);
        }
        if (v.valueType() == ConfigValueType.STRING) {
            String s = ((String) raw).trim();
            Matcher m = STATUS.matcher(s);
            if (m.matches()) {
                int from = Integer.parseInt(m.group(1));
                return new StatusRange(from, m.group(2) == null ? from : Integer.parseInt(m.group(2)));
            }
        }
        return null;
    }

    private static Optional<Tls> tls(ConfigNode n) {
        Optional<String> sni = n.optionalString("sni");
        Optional<String> ca = n.optionalString("ca-file");
        boolean caOk = ca.isEmpty() || ca.get().startsWith("/");
        if (!caOk) {
            n.problem("ca-file", "\"" + ca.get() + "\" is not an absolute path");
        }
        Boolean verify = n.bool("verify");
        n.checkUnknownKeys();
        return !caOk || verify == null ? null : Optional.of(new Tls(sni, ca, verify));
    }

    private static Optional<Udp> udp(ConfigNode n) {
        String payloadText = n.has("payload") ? n.string("payload") : "";
        Bytes payload = payloadText == null ? null : bytes(n, "payload", payloadText);
        Optional<String> expectText = n.optionalString("expect");
        Bytes expect = expectText.map(s -> bytes(n, "expect", s)).orElse(null);
        n.checkUnknownKeys();
        if (payload == null || expectText.isPresent() && expect == null) {
            return null;
        }
        return Optional.of(new Udp(payload, Optional.ofNullable(expect)));
    }

    /** A string as UTF-8, or "hex:..." as the bytes it spells; null (reported) if the hex is wrong. */
    private static Bytes bytes(ConfigNode n, String key, String text) {
        if (!text.startsWith(HEX_PREFIX)) {
            return Bytes.of(text.getBytes(StandardCharsets.UTF_8));
        }
        String hex = text.substring(HEX_PREFIX.length()).replaceAll("[\\s:]", "");
        try {
            return Bytes.of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            n.problem(key, "\"" + text + "\" is not hex:<pairs of hex digits>");
            return null;
        }
    }

    /** The dns block: empty when no name is given (an error only for dns checks). */
    private static Optional<Dns> dns(ConfigNode n) {
        Optional<String> name = n.optionalString("name");
        DnsType type = n.enumValue("type", DnsType.class);
        boolean nameOk = name.isEmpty() || validName(name.get());
        if (!nameOk) {
            n.problem("name", "\"" + name.get() + "\" is not a domain name (labels of 1..63 characters, 253 in all)");
        }
        n.checkUnknownKeys();
        if (type == null || !nameOk) {
            return null;
        }
        return name.map(s -> new Dns(s, type));
    }

    private static boolean validName(String name) {
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (s.isEmpty() || s.length() > 253) {
            return name.equals(".");
        }
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

    /**
     * The script block: empty when no command is given (an error only for script checks). It runs
     * within the check's timeout ({@code timeout}, null when that is invalid and the check with it).
     */
    private static Optional<Program> script(ConfigNode n, Duration timeout) {
        ConfigList list = n.list("command");
        Optional<Program> out = Optional.empty();
        boolean ok = list != null;
        n.value("user");
        if (list != null && !list.isEmpty()) {
            // Only a check that has a program looks its user up (thousands of servers may not).
            Optional<ScriptUser> user = ProgramReader.user(n, "user");
            List<String> command = ProgramReader.command(n);
            ok = command != null && user != null;
            out = ok ? Optional.of(new Program(command, user, timeout == null ? Duration.ZERO : timeout)) : out;
        }
        n.checkUnknownKeys();
        return ok ? out : null;
    }
}
