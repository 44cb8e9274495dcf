package io.vipkeeper.appliance.api;

import java.util.Map;

/**
 * The status page ({@code GET /}): one server-rendered HTML page without scripts or external
 * resources, refreshing itself every few seconds. Every value from the daemon is escaped. States
 * and health carry a CSS class and a {@code data-} attribute so tests can read them from the DOM.
 */
public final class StatusPage {
    /** Seconds between the page's own refreshes. */
    static final int REFRESH_SECONDS = 5;

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.4em 0 .4em}
            table{border-collapse:collapse}th,td{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:left}
            th{background:#f4f4f4}td{white-space:nowrap}td.wrap{white-space:normal}.num{text-align:right}.meta{color:#555}
            .badge{display:inline-block;padding:.1em .6em;border-radius:.8em;color:#fff;font-weight:600}
            tr.vs td{background:#fafafa;font-weight:600}tr.fault td{color:#c62828}
            """;

    /** Badge colours: green for MASTER and up, red for FAULT and down, grey otherwise. */
    static final String GREEN = "#2e7d32";
    static final String RED = "#c62828";
    static final String GREY = "#757575";
    private static final Map<String, String> COLOURS = Map.of("MASTER", GREEN, "FAULT", RED, "up", GREEN,
            "down", RED, "ok", GREEN, "failed", RED, "missing", RED);

    private StatusPage() {
    }

    /** The page for {@code s}. */
    public static String render(StatusSnapshot s) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>vipkeeper ").append(esc(s.node())).append("</title><style>").append(STYLE)
                .append("</style></head><body>\n");
        h.append("<h1 id=\"node\">").append(esc(s.node())).append("</h1>\n<p class=\"meta\">")
                .append(esc(s.version())).append("<br>config ").append(esc(s.configFile())).append(", loaded ")
                .append(esc(s.loadedAt())).append(", started ").append(esc(s.startedAt())).append("<br>");
        reload(h, s.reloads());
        h.append("</p>\n");
        instances(h, s);
        virtualServers(h, s);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void reload(StringBuilder h, StatusSnapshot.Reloads r) {
        h.append("reloads: ").append(r.ok()).append(" ok, ").append(r.failed()).append(" failed");
        if (r.last() != null) {
            String cls = r.last().ok() ? "ok" : "failed";
            h.append("; last ").append(badge("reload", cls, cls)).append(" at ").append(esc(r.last().at())).append(": ")
                    .append(esc(r.last().summary()));
            for (String p : r.last().problems()) {
                h.append("<br>").append(esc(p));
            }
        }
    }

    private static void instances(StringBuilder h, StatusSnapshot s) {
        h.append("<h2>VRRP instances</h2>\n");
        if (s.vrrpInstances().isEmpty()) {
            h.append("<p class=\"meta\">none configured</p>\n");
            return;
        }
        h.append("<table id=\"instances\"><tr><th>instance</th><th>state</th><th>interface</th><th>VRID</th>")
                .append("<th>priority</th><th>master</th><th>advert</th><th>transitions</th><th>last change</th></tr>\n");
        for (StatusSnapshot.Instance i : s.vrrpInstances()) {
            h.append("<tr data-instance=\"").append(esc(i.name())).append("\"><td>").append(esc(i.name()))
                    .append("</td><td>").append(badge("state", i.state(), i.state())).append("</td><td>")
                    .append(esc(i.interfaceName())).append("</td><td class=\"num\">").append(i.vrid())
                    .append("</td><td class=\"num\">").append(i.effectivePriority());
            if (i.effectivePriority() != i.configuredPriority()) {
                h.append(" (of ").append(i.configuredPriority()).append(')');
            }
            h.append("</td><td>").append(esc(orDash(i.masterAddress()))).append("</td><td class=\"num\">")
                    .append(i.masterAdvertIntervalMs()).append(" ms</td><td class=\"num\">").append(i.transitions())
                    .append("</td><td>");
            if (i.lastTransition() != null) {
                StatusSnapshot.LastTransition t = i.lastTransition();
                h.append(esc(t.from() + " \u2192 " + t.to() + " (" + t.reason() + ") at " + t.at()));
            } else {
                h.append('-');
            }
            h.append("</td></tr>\n");
            for (Map.Entry<String, String> f : i.faults().entrySet()) {
                h.append("<tr class=\"fault\"><td></td><td colspan=\"8\" class=\"wrap\">fault: ")
                        .append(esc(f.getKey() + ": " + f.getValue())).append("</td></tr>\n");
            }
            for (StatusSnapshot.Mismatch m : i.mismatches()) {
                h.append(m.active() ? "<tr class=\"fault\">" : "<tr>").append("<td></td><td colspan=\"8\" class=\"wrap\">")
                        .append("mismatch: ").append(esc(m.describe())).append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static void virtualServers(StringBuilder h, StatusSnapshot s) {
        h.append("<h2>Virtual servers</h2>\n");
        if (s.virtualServers().isEmpty()) {
            h.append("<p class=\"meta\">none configured</p>\n");
            return;
        }
        if (s.ipvs() != null) {
            h.append("<p class=\"meta\">kernel table read ").append(esc(orDash(s.ipvs().tableReadAt())))
                    .append("; reconcile runs ").append(s.ipvs().runs()).append(", changes ").append(s.ipvs().changes())
                    .append(", repairs ").append(s.ipvs().repairs()).append(", failures ").append(s.ipvs().failures())
                    .append("</p>\n");
        }
        h.append("<table id=\"virtual-servers\"><tr><th>server</th><th>health</th><th>weight (config)</th>")
                .append("<th>weight (kernel)</th><th>active</th><th>inactive</th><th>connections</th>")
                .append("<th>last check</th></tr>\n");
        for (StatusSnapshot.VirtualServerStatus vs : s.virtualServers()) {
            h.append("<tr class=\"vs\" data-vs=\"").append(esc(vs.name())).append("\"><td colspan=\"6\">")
                    .append(esc(vs.name())).append(" \u2014 ").append(esc(vs.identity())).append(", ")
                    .append(esc(vs.scheduler())).append(", ").append(esc(vs.forwarding()))
                    .append(vs.inKernel() ? "" : ", " + badge("kernel", "missing", "not in the kernel"))
                    .append("</td><td class=\"num\">").append(vs.counters() == null ? "-" : vs.counters().connections())
                    .append("</td><td></td></tr>\n");
            for (StatusSnapshot.RealServerStatus rs : vs.realServers()) {
                h.append("<tr data-rs=\"").append(esc(vs.name() + "/" + rs.address())).append("\"><td>&nbsp;&nbsp;")
                        .append(esc(rs.address())).append("</td><td>").append(badge("health", rs.health(), rs.health()))
                        .append("</td><td class=\"num\">").append(orDash(rs.configuredWeight())).append("</td><td class=\"num\">")
                        .append(orDash(rs.kernelWeight())).append(Boolean.TRUE.equals(rs.overloaded()) ? " overloaded" : "")
                        .append("</td><td class=\"num\">")
                        .append(orDash(rs.activeConnections())).append("</td><td class=\"num\">")
                        .append(orDash(rs.inactiveConnections())).append("</td><td class=\"num\">")
                        .append(rs.counters() == null ? "-" : rs.counters().connections()).append("</td><td>")
                        .append(esc(rs.lastResult() == null ? "-" : rs.lastResult() + " (since " + rs.since() + ")"))
                        .append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static String badge(String kind, String value, String text) {
        return "<span class=\"badge " + kind + "-" + esc(value) + "\" data-" + kind + "=\"" + esc(value)
                + "\" style=\"background:" + COLOURS.getOrDefault(value, GREY) + "\">" + esc(text) + "</span>";
    }

    private static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
