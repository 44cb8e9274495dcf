package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.it.IpvsChaosExpected.Difference;
import io.vipkeeper.appliance.it.IpvsChaosWindows.Bound;
import io.vipkeeper.appliance.it.IpvsChaosWindows.Window;
import io.vipkeeper.appliance.vm.Shell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Performs the IPVS fault lab's operations on a thread inside the load balancer's namespace: opens
 * each one's windows, tells the checker what to expect from then on, does it, and anchors the
 * windows when it is done (the edit made, the backend's port open or closed, the reload's result
 * in the status); reloads and signals through {@link IpvsChaosReloads}.
 */
final class IpvsChaosExecutor {
    private final JarProcess daemon;
    private final IpvsChaosReloads reloads;
    private final IpvsChaosBackends backends;
    private final IpvsChaosChecker checker;
    private final IpvsChaosWindows windows;
    private final IpvsChaosTimeline timeline;
    private IpvsChaosState state;
    private String digest;

    IpvsChaosExecutor(JarProcess daemon, Path conf, IpvsChaosBackends backends, IpvsChaosChecker checker,
            IpvsChaosWindows windows, IpvsChaosTimeline timeline, IpvsChaosState initial) {
        this.daemon = daemon;
        this.reloads = new IpvsChaosReloads(daemon, conf, checker, timeline);
        this.backends = backends;
        this.checker = checker;
        this.windows = windows;
        this.timeline = timeline;
        this.state = initial;
        this.digest = IpvsChaosConfig.sha256(initial.config().render());
    }

    /** What the lab expects of the kernel now. */
    SortedMap<String, String> expected() {
        return IpvsChaosExpected.of(state, digest);
    }

    /** Performs one operation. */
    void perform(IpvsChaosPlanner.Planned p) throws Exception {
        IpvsChaosOp op = p.op();
        long start = System.nanoTime();
        timeline.op(start, "#" + p.number() + " " + op.describe());
        IpvsChaosState after = op.after();
        String nextDigest = op instanceof IpvsChaosOp.Reload ? IpvsChaosConfig.sha256(after.config().render()) : digest;
        List<Window> opened = open(op, IpvsChaosExpected.of(state, digest), IpvsChaosExpected.of(after, nextDigest), start);
        checker.expect(IpvsChaosExpected.of(after, nextDigest));
        if (op instanceof IpvsChaosOp.HandIpvs h) {
            ipvsadm(h);
        } else if (op instanceof IpvsChaosOp.HandNft n) {
            nft(n);
        } else if (op instanceof IpvsChaosOp.Health h) {
            health(h);
        } else if (op instanceof IpvsChaosOp.Reload) {
            reloads.valid(after.config().render(), nextDigest);
        } else if (op instanceof IpvsChaosOp.BrokenReload b) {
            reloads.broken(state.config().render(), b);
        } else if (op instanceof IpvsChaosOp.HupStorm h) {
            reloads.storm(h);
        } else if (op instanceof IpvsChaosOp.UserSignal u) {
            daemon.signal(u.signal());
        }
        long anchor = System.nanoTime();
        opened.forEach(w -> w.anchor = anchor);
        state = after;
        digest = nextDigest;
    }

    /**
     * The windows of {@code op}: the elements a hand edit of vipkeeper's state touches, or those
     * whose expectation changes ({@code before} to {@code after}) with the bound of the change.
     */
    private List<Window> open(IpvsChaosOp op, SortedMap<String, String> before, SortedMap<String, String> after,
            long start) {
        List<Window> opened = new ArrayList<>();
        String why = op.describe();
        if (op instanceof IpvsChaosOp.HandIpvs h && !h.elements().isEmpty()) {
            opened.add(windows.open(why, h.elements(), h.bound(), start));
        }
        if (op instanceof IpvsChaosOp.HandNft n && n.table().equals(IpvsChaosExpected.OWN_TABLE)) {
            opened.add(windows.open(why, List.of(IpvsChaosExpected.tableElement(n.table())), Bound.RUN, start));
        }
        List<Difference> changed = IpvsChaosExpected.differences(before, after, e -> true);
        for (Difference d : changed) {
            opened.add(windows.open(why, List.of(d.element()), bound(op, d, after), start));
        }
        if (op instanceof IpvsChaosOp.Reload r) {
            // A new real server of web starts up (initial-state up) and leaves after fall failed checks if its backend is down.
            r.after().config().realServers(IpvsChaosConfig.WEB).keySet().stream()
                    .filter(o -> !state.config().realServers(IpvsChaosConfig.WEB).containsKey(o)
                            && !r.after().backendsUp().contains(o))
                    .forEach(o -> opened.add(windows.open(why, List.of(IpvsChaosState.realServerElement(
                            IpvsChaosConfig.serviceId(IpvsChaosConfig.WEB), IpvsChaosConfig.realServer(IpvsChaosConfig.WEB, o))),
                            Bound.HEALTH_DOWN, start)));
        }
        return opened;
    }

    private static Bound bound(IpvsChaosOp op, Difference d, SortedMap<String, String> after) {
        if (op instanceof IpvsChaosOp.Health h) {
            return h.up() ? Bound.HEALTH_UP : Bound.HEALTH_DOWN;
        }
        if (op instanceof IpvsChaosOp.Reload) {
            boolean removed = d.actual() == null && d.expected() != null;
            if (d.element().startsWith("rs|") && removed
                    && after.containsKey(IpvsChaosState.serviceElement(d.element().split("\\|")[1]))) {
                return Bound.RELOAD_DRAIN; // its service stays: it drains
            }
            if (d.element().equals(IpvsChaosExpected.tableElement(IpvsChaosExpected.OWN_TABLE))) {
                return Bound.RELOAD_DRAIN; // the masquerade rule keeps a draining server until it is gone
            }
        }
        return Bound.IMMEDIATE;
    }

    private void ipvsadm(IpvsChaosOp.HandIpvs h) {
        for (String args : h.commands()) {
            List<String> cmd = new ArrayList<>(List.of("ipvsadm"));
            cmd.addAll(List.of(args.split(" ")));
            Shell.Result r = IpvsChaosProbes.run(null, cmd);
            if (r.code() != 0) {
                if (h.kind().startsWith("foreign")) {
                    throw new IllegalStateException("the lab's own edit failed: " + String.join(" ", cmd) + ": " + r.output());
                }
                timeline.note(System.nanoTime(), "ipvsadm refused it (the kernel's table was not as the plan assumed): "
                        + r.output().strip());
            }
        }
    }

    private void nft(IpvsChaosOp.HandNft n) {
        boolean own = n.table().equals(IpvsChaosExpected.OWN_TABLE);
        String chain = own ? "postrouting" : IpvsChaosState.FOREIGN_CHAIN;
        String script = switch (n.edit()) {
            case DELETE_TABLE -> "delete table " + n.table();
            case FLUSH_CHAIN -> "flush chain " + n.table() + " " + chain;
            case ADD_CHAIN -> "add chain " + n.table() + " stray";
            case ADD_RULE -> "add rule " + n.table() + " " + chain + " "
                    + (own ? "ip daddr 198.18.9.250 accept comment \"stray\"" : IpvsChaosState.foreignRule(n.rule()));
            case DELETE_RULE -> handle(n.table(), chain, own ? null : "f" + n.rule())
                    .map(h -> "delete rule " + n.table() + " " + chain + " handle " + h).orElse(null);
        };
        Shell.Result r = script == null ? new Shell.Result(1, "no rule to delete")
                : IpvsChaosProbes.run(script + "\n", List.of("nft", "-f", "-"));
        if (r.code() != 0) {
            if (!own) {
                throw new IllegalStateException("the lab's own edit failed: " + script + ": " + r.output());
            }
            timeline.note(System.nanoTime(), "nft refused it: " + r.output().strip());
        }
    }

    /** The handle of the rule with {@code comment} in the chain (the first rule when null). */
    private static java.util.Optional<Long> handle(String table, String chain, String comment) {
        Shell.Result r = IpvsChaosProbes.run(null, List.of("nft", "-j", "list", "chain", table.split(" ")[0],
                table.split(" ")[1], chain));
        if (r.code() != 0) {
            return java.util.Optional.empty();
        }
        try {
            for (var item : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.output()).path("nftables")) {
                var rule = item.get("rule");
                if (rule != null && (comment == null || comment.equals(rule.path("comment").asText()))) {
                    return java.util.Optional.of(rule.path("handle").asLong());
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return java.util.Optional.empty();
    }

    private void health(IpvsChaosOp.Health h) throws Exception {
        if (h.up()) {
            backends.start(h.octet());
        } else {
            backends.stop(h.octet());
        }
        if (!IpvsChaosBackends.await(h.octet(), h.up())) {
            throw new IllegalStateException("the port of backend 198.18.1." + h.octet() + " did not "
                    + (h.up() ? "open" : "close") + " within 10 s");
        }
    }
}
