package io.vipkeeper.appliance.keepalived;

/**
 * vrrp_track_process: the process and its parameters, how they match, the quorum and the delays
 * that keep a restart from bouncing it. The weight is kept aside: as with scripts, keepalived adds
 * a positive weight while the process runs, so each tracking instance decides how it is written
 * (see {@link Tracking}).
 */
final class TrackProcessImport {
    private final ImportContext ctx;

    TrackProcessImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void map(Statement block) {
        String name = ctx.name(block);
        if (name == null) {
            return;
        }
        Hocon body = new Hocon();
        // keepalived's default weight (keepalived.conf(5)); vipkeeper's is 0.
        int weight = 1;
        boolean reverse = false;
        boolean hasProcess = false;
        for (Statement s : block.children()) {
            switch (s.keyword()) {
                case "process" -> {
                    if (hasProcess || s.args().isEmpty()) {
                        ctx.notes.fallback(s.origin(), "process", "keepalived takes the first process line "
                                + "that names one and ignores this one, and so does the import");
                        continue;
                    }
                    hasProcess = true;
                    // keepalived's words already: a quoted string is one element.
                    body.put("process", s.args());
                }
                case "param_match" -> {
                    String m = s.word(1).orElse("exact");
                    if (m.equals("initial") || m.equals("partial") || m.equals("exact")) {
                        body.put("param-match", m);
                    } else {
                        ctx.notes.fallback(s.origin(), "param_match", "\"" + m + "\" is not initial or partial; "
                                + "keepalived ignores the line, and so does the import");
                    }
                }
                case "weight" -> {
                    weight = ctx.integer(s, 1, -254, 254).orElse(weight);
                    reverse = s.word(2).filter("reverse"::equals).isPresent();
                }
                case "quorum" -> ctx.integer(s, 1, 0, 65535).ifPresent(v -> body.put("quorum", v));
                case "quorum_max" -> ctx.integer(s, 1, 0, 65535).ifPresent(v -> body.put("quorum-max", v));
                case "fork_delay" -> delay(s, body, "fork-delay");
                case "terminate_delay" -> delay(s, body, "terminate-delay");
                case "delay" -> {
                    delay(s, body, "fork-delay");
                    delay(s, body, "terminate-delay");
                }
                case "full_command" -> body.put("full-command", true);
                default -> ctx.unsupported(s, "no vipkeeper counterpart in a vrrp_track_process");
            }
        }
        if (!hasProcess) {
            ctx.unsupported(block, "vrrp_track_process " + name + " has no process line, so the import leaves it "
                    + "and its track_process lines out");
            return;
        }
        ctx.defined(TrackKind.PROCESS).put(name, new ImportContext.Script(name, body, weight, reverse,
                block.origin()));
    }

    private void delay(Statement s, Hocon body, String key) {
        Values.millis(s, 1, ctx.notes).ifPresent(v -> {
            if (v > 3_600_000) {
                ctx.unsupported(s, "vipkeeper's " + key + " is at most 1h; the import leaves it at 0s");
            } else {
                body.put(key, Values.duration(v));
            }
        });
    }
}
