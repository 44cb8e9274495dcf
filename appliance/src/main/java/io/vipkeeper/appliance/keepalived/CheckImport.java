package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A real server's checker (TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, DNS_CHECK, UDP_CHECK) to a
 * complete vipkeeper health-check block. keepalived marks a server down after retry + 1 failures and
 * up after one success, so fall = retry + 1 and rise = 1; alpha (start down) is initial-state down.
 */
final class CheckImport {
    private final ImportContext ctx;

    CheckImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    /** Whether {@code keyword} names a keepalived checker block. */
    static boolean isChecker(String keyword) {
        return keyword.endsWith("_CHECK") || keyword.equals("HTTP_GET") || keyword.equals("SSL_GET");
    }

    /** The health-check for {@code checker} with the inherited timing, or null when it has no counterpart. */
    Hocon map(Statement checker, CheckTiming inherited, String virtualHost) {
        String type = switch (checker.keyword()) {
            case "TCP_CHECK" -> "tcp";
            case "HTTP_GET" -> "http";
            case "SSL_GET" -> "https";
            case "MISC_CHECK" -> "script";
            case "DNS_CHECK" -> "dns";
            case "UDP_CHECK" -> "udp";
            default -> null;
        };
        if (type == null) {
            ctx.unsupported(checker, "vipkeeper has no such check: run the same test from a script check "
                    + "(health-check { type = script, script.command = [...] })");
            return null;
        }
        CheckTiming timing = inherited;
        Hocon connect = new Hocon();
        Hocon http = new Hocon();
        Hocon script = new Hocon();
        Hocon dns = new Hocon();
        Hocon udp = new Hocon();
        OptionalLong miscTimeout = OptionalLong.empty();
        if (virtualHost != null) {
            http.put("virtual-host", virtualHost);
        }
        boolean firstUrl = true;
        for (Statement s : checker.children()) {
            String k = s.keyword();
            if (CheckTiming.isTiming(k)) {
                timing = timing.apply(s, ctx);
                continue;
            }
            switch (k) {
                case "connect_ip" -> s.word(1).ifPresent(v -> connect.put("connect-address", v));
                case "connect_port" -> ctx.integer(s, 1, 1, 65535).ifPresent(v -> connect.put("connect-port", v));
                case "url" -> {
                    if (firstUrl) {
                        url(s, http);
                        firstUrl = false;
                    } else {
                        ctx.unsupported(s, "vipkeeper checks one URL a real server (the first is carried): serve "
                                + "one health URL that covers the others");
                    }
                }
                case "virtualhost" -> s.word(1).ifPresent(v -> http.put("virtual-host", v));
                case "misc_path" -> script.put("command", Words.command(s));
                case "misc_timeout" -> miscTimeout = Values.millis(s, 1, ctx.notes);
                case "user" -> script.put("user", Values.user(s));
                case "misc_dynamic" -> ctx.unsupported(s, "vipkeeper's script check is up (exit 0) or down; exit "
                        + "codes do not set the weight");
                case "type" -> s.word(1).ifPresent(v -> dns.put("type", v.toUpperCase(java.util.Locale.ROOT)));
                case "name" -> s.word(1).ifPresent(v -> dns.put("name", v));
                case "payload" -> s.word(1).ifPresent(v -> udp.put("payload", "hex:" + v));
                case "require_reply" -> udp.put("expect", s.word(1).map(v -> "hex:" + v).orElse(""));
                case "delay_before_retry" -> ctx.unsupported(s, "vipkeeper checks again at the next interval; "
                        + "a shorter interval with a higher fall comes closest");
                case "warmup" -> ctx.unsupported(s, "vipkeeper starts checks at once; no warmup");
                case "bindto", "bind_port", "bind_if" -> ctx.unsupported(s, "vipkeeper checks from the address "
                        + "the kernel picks; set a route's src for the real servers' network");
                default -> ctx.unsupported(s, "no vipkeeper counterpart in " + checker.keyword());
            }
        }
        Hocon out = new Hocon().put("type", type);
        long interval = Math.max(10, timing.delayLoop());
        out.put("interval", Values.duration(interval));
        long timeout = type.equals("script") ? miscTimeout.orElse(interval) : timing.connectTimeout();
        if (timeout > interval) {
            ctx.notes.note(checker.origin(), checker.keyword(), "timeout " + timeout + "ms is longer than "
                    + "delay_loop, which vipkeeper refuses: the import uses delay_loop (" + interval + "ms)");
            timeout = interval;
        }
        out.put("timeout", Values.duration(Math.max(10, timeout)));
        out.put("rise", 1);
        out.put("fall", Math.min(100, timing.retry() + 1));
        if (timing.alpha()) {
            out.put("initial-state", new Hocon.Raw("down"));
        }
        copy(connect, out);
        switch (type) {
            case "http", "https" -> {
                out.put("http", http);
                if (type.equals("https")) {
                    out.comment("keepalived's SSL_GET does not verify the certificate.");
                    out.put("tls", new Hocon().put("verify", false));
                }
            }
            case "script" -> {
                if (script.isEmpty()) {
                    ctx.unsupported(checker, "MISC_CHECK without misc_path: keepalived does not run it");
                    return null;
                }
                out.put("script", script);
            }
            case "dns" -> out.put("dns", dns);
            case "udp" -> out.put("udp", udp);
            default -> {
            }
        }
        return out;
    }

    private void url(Statement block, Hocon http) {
        List<String> status = new ArrayList<>();
        for (Statement s : block.children()) {
            switch (s.keyword()) {
                case "path" -> s.word(1).ifPresent(v -> http.put("path", v));
                case "status_code" -> status.addAll(s.args());
                case "digest" -> ctx.unsupported(s, "keepalived compares the body's MD5; vipkeeper compares SHA-256: "
                        + "set http.body-sha256 to the output of `curl -s URL | sha256sum` for this path");
                case "regex" -> s.word(1).ifPresent(v -> http.put("body-regex", v));
                case "virtualhost" -> s.word(1).ifPresent(v -> http.put("virtual-host", v));
                default -> ctx.unsupported(s, "no vipkeeper counterpart in a url block");
            }
        }
        http.put("status", status.isEmpty() ? List.of("200-299") : status.stream().map(CheckImport::statusValue).toList());
    }

    private static Object statusValue(String code) {
        return code.matches("\\d+") ? (Object) Integer.parseInt(code) : code;
    }

    private static void copy(Hocon from, Hocon to) {
        // connect-address and connect-port sit at the check's top level.
        from.forEach(to::put);
    }
}
