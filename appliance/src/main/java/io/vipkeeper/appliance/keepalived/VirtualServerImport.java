package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * virtual_server to {@code ipvs.virtual-servers}: address and port, fwmark, or a
 * virtual_server_group (one vipkeeper virtual server per member); scheduler, forwarding, protocol,
 * persistence, quorum, sorry server and the real servers with their checks. The first real
 * server's check becomes the virtual server's health-check, a real server that checks otherwise
 * gets its own.
 */
final class VirtualServerImport {
    private static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
            "mh", "sed", "nq", "fo", "ovf", "twos");
    private static final Set<String> FLAGS = Set.of("sh-port", "sh-fallback", "mh-port", "mh-fallback");

    private final ImportContext ctx;
    private final CheckImport checks;

    VirtualServerImport(ImportContext ctx) {
        this.ctx = ctx;
        this.checks = new CheckImport(ctx);
    }

    void map(Statement block) {
        List<ServerGroups.Member> targets = targets(block);
        if (targets.isEmpty()) {
            return;
        }
        boolean fwmark = targets.get(0).fwmark() != null;
        Hocon vs = new Hocon();
        CheckTiming timing = CheckTiming.DEFAULTS;
        String scheduler = "wlc";
        String virtualHost = null;
        Long persistence = null;
        List<String> flags = new ArrayList<>();
        List<Statement> reals = new ArrayList<>();
        for (Statement s : block.children()) {
            String k = s.keyword();
            if (CheckTiming.isTiming(k)) {
                timing = timing.apply(s, ctx);
                continue;
            }
            switch (k) {
                case "lb_algo", "lvs_sched" -> {
                    String v = s.word(1).orElse("");
                    if (SCHEDULERS.contains(v)) {
                        scheduler = v;
                    } else {
                        ctx.notes.fallback(s.origin(), k, "\"" + v + "\" is no scheduler keepalived knows (it "
                                + "compares case-sensitively): keepalived runs wlc, and so does the import");
                    }
                }
                case "lb_kind", "lvs_method" -> forwarding(s, vs);
                case "protocol" -> protocol(s, vs, fwmark);
                case "persistence_timeout" -> {
                    persistence = s.word(1).isPresent() ? Values.millis(s, 1, ctx.notes).orElse(360_000) : 360_000L;
                }
                case "persistence_granularity" -> {
                    s.word(1).ifPresent(v -> vs.block("persistence").put("netmask", v));
                    if (persistence == null) {
                        persistence = 360_000L;
                    }
                }
                case "quorum" -> ctx.integer(s, 1, 0, 65535).ifPresent(v -> vs.put("quorum", v));
                case "hysteresis" -> ctx.integer(s, 1, 0, 65535).ifPresent(v -> vs.put("hysteresis", v));
                case "sorry_server" -> sorry(s, vs);
                case "inhibit_on_failure" -> vs.put("inhibit-on-failure", true);
                case "virtualhost" -> virtualHost = s.word(1).orElse(null);
                case "ops" -> vs.put("one-packet", true);
                case "real_server" -> reals.add(s);
                case "ip_family" -> ctx.notes.note(s.origin(), k, "vipkeeper takes the family from the addresses");
                case "sorry_server_inhibit", "sorry_server_lvs_method" -> ctx.unsupported(s, "vipkeeper adds the "
                        + "sorry server with the virtual server's forwarding and weight 1");
                case "quorum_up", "quorum_down" -> ctx.unsupported(s, "vipkeeper has no quorum programs: watch "
                        + "the quorum in /metrics or the event stream (`vipkeeper events`)");
                case "omega", "ha_suspend", "smtp_alert", "persistence_engine", "hashed", "flag-1", "flag-2",
                        "flag-3", "weight", "snmp_name", "retry_delay", "delay_before_retry", "warmup" ->
                        ctx.unsupported(s, "no vipkeeper counterpart in a virtual server");
                default -> {
                    if (FLAGS.contains(k)) {
                        flags.add(k);
                    } else {
                        ctx.unsupported(s, "no vipkeeper counterpart in a virtual server");
                    }
                }
            }
        }
        Hocon head = new Hocon().put("scheduler", new Hocon.Raw(scheduler));
        vs.forEach(head::put);
        if (!flags.isEmpty()) {
            head.put("scheduler-flags", flags);
        }
        if (persistence != null && persistence > 0) {
            head.block("persistence").put("timeout", Values.duration(Math.max(1000, persistence / 1000 * 1000)));
        }
        realServers(reals, head, timing, virtualHost);
        for (ServerGroups.Member t : targets) {
            Hocon one = new Hocon();
            if (t.fwmark() != null) {
                one.put("fwmark", t.fwmark());
            } else {
                one.put("address", t.address()).put("port", t.port());
            }
            head.forEach(one::put);
            ctx.ipvs().block("virtual-servers").put(t.key(), one);
        }
    }

    private List<ServerGroups.Member> targets(Statement block) {
        List<String> w = block.args();
        if (w.size() == 2 && w.get(0).equals("fwmark")) {
            try {
                return List.of(new ServerGroups.Member(null, null, Long.parseLong(w.get(1))));
            } catch (NumberFormatException e) {
                // reported below
            }
        } else if (w.size() == 2 && w.get(0).equals("group")) {
            Statement group = ctx.serverGroups.get(w.get(1));
            if (group == null) {
                ctx.notes.fallback(block.origin(), "virtual_server group", "no virtual_server_group " + w.get(1)
                        + ": keepalived skips this virtual server, and so does the import");
                return List.of();
            }
            List<ServerGroups.Member> members = ServerGroups.members(ctx, group);
            ctx.notes.note(block.origin(), "virtual_server group", "vipkeeper has no groups: written as one "
                    + "virtual server per member (" + members.size() + "), each with its own health checks");
            return members;
        } else if (w.size() == 2) {
            int port = ctx.integer(block, 2, 0, 65535).orElse(-1);
            if (port >= 0) {
                return List.of(new ServerGroups.Member(w.get(0), port, null));
            }
            return List.of();
        }
        ctx.unsupported(block, "not ADDR PORT, fwmark N or group NAME: keepalived skips it");
        return List.of();
    }

    private void forwarding(Statement s, Hocon vs) {
        String v = s.word(1).orElse("");
        switch (v) {
            case "NAT" -> vs.put("forwarding", new Hocon.Raw("nat"));
            case "DR" -> vs.put("forwarding", new Hocon.Raw("dr"));
            case "TUN" -> {
                vs.put("forwarding", new Hocon.Raw("tun"));
                if (s.words().size() > 2) {
                    ctx.unsupported(s, "tunnel options go on the real servers: tunnel { type, port, checksum }");
                }
            }
            default -> ctx.notes.fallback(s.origin(), s.keyword(), "\"" + v + "\" is not NAT, DR or TUN (keepalived "
                    + "compares case-sensitively): keepalived runs NAT, and so does the import");
        }
    }

    private void protocol(Statement s, Hocon vs, boolean fwmark) {
        String v = s.word(1).orElse("").toLowerCase(Locale.ROOT);
        if (fwmark) {
            ctx.notes.fallback(s.origin(), "protocol", "keepalived ignores the protocol of a fwmark service; "
                    + "so does the import");
        } else if (v.equals("tcp") || v.equals("udp") || v.equals("sctp")) {
            vs.put("protocol", new Hocon.Raw(v));
        } else {
            ctx.notes.fallback(s.origin(), "protocol", "\"" + v + "\" is not TCP, UDP or SCTP: keepalived ignores "
                    + "the line and runs TCP, and so does the import");
        }
    }

    private void sorry(Statement s, Hocon vs) {
        String addr = s.word(1).orElse("");
        String port = s.word(2).orElse("");
        if (addr.isEmpty() || port.isEmpty()) {
            ctx.unsupported(s, "vipkeeper's sorry-server needs an address and a port");
            return;
        }
        vs.put("sorry-server", (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + port);
    }

    private void realServers(List<Statement> reals, Hocon vs, CheckTiming timing, String virtualHost) {
        RealServerImport rs = new RealServerImport(ctx, checks);
        List<RealServerImport.Result> results = reals.stream().map(r -> rs.map(r, timing, virtualHost))
                .filter(r -> r != null).toList();
        Hocon shared = results.isEmpty() ? new Hocon().put("type", new Hocon.Raw("none")) : results.get(0).check();
        vs.put("health-check", shared);
        String sharedText = shared.render();
        List<Object> list = new ArrayList<>();
        for (RealServerImport.Result r : results) {
            Hocon body = r.server();
            if (!r.check().render().equals(sharedText)) {
                body = body.copyWith("health-check", r.check());
            }
            list.add(body);
        }
        vs.put("real-servers", list);
    }
}
