package io.vipkeeper.appliance.keepalived;

import java.util.List;

/**
 * vrrp_script: the command (split into words as keepalived splits it, run without a shell in both),
 * interval, timeout, rise, fall and user. The weight is kept aside: keepalived adds a positive weight
 * while the script succeeds, vipkeeper adds its weight while it fails, so each tracking instance
 * decides how it is written (see {@link Tracking}).
 */
final class VrrpScriptImport {
    private final ImportContext ctx;

    VrrpScriptImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void map(Statement block) {
        String name = ctx.name(block);
        if (name == null) {
            return;
        }
        Hocon body = new Hocon();
        int weight = 0;
        long interval = 1000;
        Long timeout = null;
        for (Statement s : block.children()) {
            switch (s.keyword()) {
                case "script" -> {
                    List<String> command = Words.command(s);
                    if (command.isEmpty() || !command.get(0).startsWith("/")) {
                        ctx.notes.leftOut(s.origin(), "script", "vipkeeper runs programs by absolute path without "
                                + "a shell: give the full path of the program (for shell syntax, a script file)");
                    }
                    body.put("command", command);
                }
                case "interval" -> interval = Values.millis(s, 1, ctx.notes).orElse(interval);
                case "timeout" -> {
                    long t = Values.millis(s, 1, ctx.notes).orElse(-1);
                    if (t >= 0) {
                        timeout = t;
                    }
                }
                case "weight" -> {
                    weight = ctx.integer(s, 1, -253, 253).orElse(0);
                    if (s.word(2).filter("reverse"::equals).isPresent()) {
                        ctx.unsupported(s, "vipkeeper has no reverse weight: invert the script's exit status instead");
                    }
                }
                case "rise" -> ctx.integer(s, 1, 1, 100).ifPresent(v -> body.put("rise", v));
                case "fall" -> ctx.integer(s, 1, 1, 100).ifPresent(v -> body.put("fall", v));
                case "user" -> body.put("user", Values.user(s));
                case "init_fail" -> ctx.unsupported(s, "a vipkeeper script starts as up and goes down after fall failures");
                default -> ctx.unsupported(s, "no vipkeeper counterpart in a script");
            }
        }
        if (block.children().stream().noneMatch(s -> s.keyword().equals("script"))) {
            ctx.unsupported(block, "vrrp_script " + name + " has no script line; keepalived does not run it, "
                    + "so the import leaves it and its track_script lines out");
            return;
        }
        body.put("interval", Values.duration(interval));
        // keepalived's default timeout is the interval; vipkeeper refuses a timeout above it.
        long t = timeout == null || timeout == 0 ? interval : timeout;
        if (t > interval) {
            ctx.notes.note(block.origin(), "timeout", "longer than the interval, which vipkeeper refuses: "
                    + "the import uses the interval (" + interval + "ms)");
            t = interval;
        }
        body.put("timeout", Values.duration(t));
        ctx.scripts.put(name, new ImportContext.Script(name, body, weight, block.origin()));
    }
}
