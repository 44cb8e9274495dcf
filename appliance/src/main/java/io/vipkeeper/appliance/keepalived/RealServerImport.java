package io.vipkeeper.appliance.keepalived;

/**
 * real_server to one entry of a virtual server's real-servers: address, port, weight, forwarding,
 * thresholds, notify programs, and its checker (the first one; vipkeeper runs one check a server).
 */
final class RealServerImport {
    /** The real server's entry and the complete health-check it runs. */
    record Result(Hocon server, Hocon check) {
    }

    private final ImportContext ctx;
    private final CheckImport checks;

    RealServerImport(ImportContext ctx, CheckImport checks) {
        this.ctx = ctx;
        this.checks = checks;
    }

    /** The real server, or null when keepalived would skip it. */
    Result map(Statement block, CheckTiming inherited, String virtualHost) {
        if (block.word(1).isEmpty()) {
            ctx.unsupported(block, "a real_server needs an address; keepalived skips it");
            return null;
        }
        Hocon server = new Hocon().put("address", block.word(1).get());
        if (block.word(2).isPresent()) {
            ctx.integer(block, 2, 0, 65535).ifPresent(p -> {
                if (p > 0) {
                    server.put("port", p);
                }
            });
        }
        CheckTiming timing = inherited;
        for (Statement s : block.children()) {
            if (CheckTiming.isTiming(s.keyword())) {
                timing = timing.apply(s, ctx);
            }
        }
        Hocon check = null;
        for (Statement s : block.children()) {
            String k = s.keyword();
            if (CheckTiming.isTiming(k)) {
                continue;
            }
            if (CheckImport.isChecker(k)) {
                if (check == null) {
                    check = checks.map(s, timing, virtualHost);
                    if (check == null) {
                        check = new Hocon().put("type", new Hocon.Raw("none"));
                    }
                } else {
                    ctx.unsupported(s, "vipkeeper runs one check a real server (the first is carried): "
                            + "fold this test into a script check if both matter");
                }
                continue;
            }
            switch (k) {
                case "weight" -> ctx.integer(s, 1, 0, 65535).ifPresent(v -> server.put("weight", v));
                case "lvs_method" -> s.word(1).ifPresent(v -> {
                    if (v.equals("NAT") || v.equals("DR") || v.equals("TUN")) {
                        server.put("forwarding", new Hocon.Raw(v.toLowerCase(java.util.Locale.ROOT)));
                    } else {
                        ctx.notes.fallback(s.origin(), k, "\"" + v + "\" is not NAT, DR or TUN: keepalived keeps "
                                + "the virtual server's, and so does the import");
                    }
                });
                case "uthreshold" -> ctx.integer(s, 1, 0, Integer.MAX_VALUE).ifPresent(v -> server.put("upper-threshold", v));
                case "lthreshold" -> ctx.integer(s, 1, 0, Integer.MAX_VALUE).ifPresent(v -> server.put("lower-threshold", v));
                case "notify_up" -> ctx.notifyProgram(s, server, "notify-up", "VIRTUAL-SERVER REAL-SERVER UP");
                case "notify_down" -> ctx.notifyProgram(s, server, "notify-down", "VIRTUAL-SERVER REAL-SERVER DOWN");
                case "inhibit_on_failure" -> ctx.unsupported(s, "vipkeeper sets inhibit-on-failure for a whole "
                        + "virtual server: put inhibit_on_failure in the virtual_server if every real server has it");
                default -> ctx.unsupported(s, "no vipkeeper counterpart in a real server");
            }
        }
        if (check == null) {
            check = new Hocon().put("type", new Hocon.Raw("none"));
        }
        return new Result(server, check);
    }
}
