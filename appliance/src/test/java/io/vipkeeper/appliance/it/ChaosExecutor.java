package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.it.ChaosNodes.Node;
import io.vipkeeper.appliance.it.ChaosOp.Effect;
import io.vipkeeper.appliance.it.ChaosWindows.Timers;
import io.vipkeeper.appliance.it.ChaosWindows.Window;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Performs the fault lab's operations and opens the window each may legitimately cause (see
 * {@link ChaosLab} for the table). A window opens when the operation starts and closes at its
 * anchor (the reload's result, the daemon's first state after a start, the heal) plus a bound made
 * of RFC 9568 timers for the node that must take over: Master_Down_Interval (MDI) = 3 * interval +
 * Skew_Time, Skew_Time = (256 - priority) * interval / 256; plus one advert interval (I), the same
 * allowance the invariants give a master to hold or release its VIPs. Background operations (loss,
 * CPU burners, forged adverts) run while later operations go on and end on their own clock.
 */
final class ChaosExecutor {
    /** Invariants a takeover suspends: who holds the VIP, whether the client reaches it, who is master. */
    private static final Set<ChaosInvariant> TAKEOVER = EnumSet.of(ChaosInvariant.NO_TRANSITION,
            ChaosInvariant.ONE_HOLDER, ChaosInvariant.REACH, ChaosInvariant.ELECTED);

    private final Lab lab;
    private final ChaosNodes nodes;
    private final ChaosWindows windows;
    private final ChaosTimeline timeline;
    private final ChaosChecker checker;
    private final ChaosSampler sampler;
    private final Timers timers;
    private final ChaosWaits waits;
    private final List<Background> background = new ArrayList<>();
    private long foregroundEnd = Long.MIN_VALUE;

    /** A background operation and how to end it. */
    private record Background(String kind, long endNanos, StopAction stop) {
    }

    @FunctionalInterface
    private interface StopAction {
        void stop() throws Exception;
    }

    ChaosExecutor(Lab lab, ChaosNodes nodes, ChaosWindows windows, ChaosTimeline timeline, ChaosChecker checker,
            ChaosSampler sampler, Timers timers) {
        this.lab = lab;
        this.nodes = nodes;
        this.windows = windows;
        this.timeline = timeline;
        this.checker = checker;
        this.sampler = sampler;
        this.timers = timers;
        this.waits = new ChaosWaits(nodes, checker, sampler, timeline, timers);
    }

    /** Waits for the windows of earlier foreground operations to close, then performs {@code op}. */
    void run(ChaosPlanner.Planned p) throws Exception {
        waits.sleepUntil(foregroundEnd);
        endBackground(false);
        waits.sleep(p.pauseMillis());
        ChaosOp op = p.op();
        for (Background b : List.copyOf(background)) {
            if (b.kind().equals(op.kind())) {
                waits.sleepUntil(b.endNanos());
                endBackground(false);
            }
        }
        timeline.op(System.nanoTime(), "#" + p.number() + " " + op.describe());
        if (op instanceof ChaosOp.Reload r) {
            reload(r);
        } else if (op instanceof ChaosOp.BrokenReload b) {
            broken(b);
        } else if (op instanceof ChaosOp.HupStorm h) {
            hupStorm(h);
        } else if (op instanceof ChaosOp.UserSignal u) {
            nodes.signal(nodes.node(u.node()), u.signal());
            waits.sleepNanos(3 * timers.interval()); // the checker watches that it lives and nothing moves
        } else if (op instanceof ChaosOp.Restart r) {
            restart(r);
        } else if (op instanceof ChaosOp.LinkFault l) {
            link(l);
        } else if (op instanceof ChaosOp.Partition p2) {
            partition(p2);
        } else if (op instanceof ChaosOp.Loss l) {
            loss(l);
        } else if (op instanceof ChaosOp.Burn b) {
            nodes.burn(b.burners());
            background.add(new Background(op.kind(), System.nanoTime() + b.millis() * 1_000_000, nodes::stopBurning));
        } else if (op instanceof ChaosOp.Forge f) {
            ChaosStranger forged = new ChaosStranger(lab.ns("stranger"), nodes.intervalMs());
            background.add(new Background(op.kind(), System.nanoTime() + f.millis() * 1_000_000, () -> {
                forged.close();
                timeline.op(System.nanoTime(), "forged adverts stopped: " + forged.sent() + " sent"
                        + (forged.failure() == null ? "" : ", last refusal " + forged.failure().getMessage()));
            }));
        } else if (op instanceof ChaosOp.DeleteVip d) {
            deleteVip(d);
        } else {
            throw new IllegalStateException(op.toString());
        }
    }

    private void reload(ChaosOp.Reload r) throws Exception {
        long start = System.nanoTime();
        List<ChaosConfig> before = nodes.all().stream().map(n -> n.expected).toList();
        Window w = switch (r.effect()) {
            case NONE -> null;
            case PREEMPT, SPLIT -> windows.open(r.describe(), TAKEOVER, Set.of(), Set.of(ChaosConfig.VI_1), start);
            case SECOND -> windows.open(r.describe(), EnumSet.of(ChaosInvariant.NO_TRANSITION, ChaosInvariant.ONE_HOLDER,
                    ChaosInvariant.ELECTED), Set.of(), Set.of(ChaosConfig.VI_2), start);
        };
        long anchor = start;
        for (ChaosOp.Step step : r.steps()) {
            anchor = reloadValid(nodes.node(step.node()), step.config());
            waits.sleep(step.pauseMillis());
        }
        if (w == null) {
            return;
        }
        long bound = switch (r.effect()) {
            case PREEMPT -> {
                // The taker's Master_Down timer may have been armed under its old priority.
                int taker = Math.max(nodes.node("lb1").expected.priority(), nodes.node("lb2").expected.priority());
                String who = nodes.node("lb1").expected.priority() == taker ? "lb1" : "lb2";
                int old = before.get(who.equals("lb1") ? 0 : 1).priority();
                yield Math.max(timers.masterDown(taker), timers.masterDown(old)) + timers.interval();
            }
            case SPLIT -> splitEnd();
            default -> {
                int lowest = 255;
                for (ChaosConfig c : before) {
                    lowest = Math.min(lowest, c.priority2());
                }
                yield timers.masterDown(lowest) + timers.interval();
            }
        };
        close(w, anchor, bound, r.effect() == Effect.PREEMPT ? "MDI of the new master + I"
                : r.effect() == Effect.SPLIT ? SPLIT_END : "MDI of vi_2's lower priority + I");
    }

    /** Writes a valid config, SIGHUP, waits for the result; returns when the node took it. */
    private long reloadValid(Node n, ChaosConfig next) throws Exception {
        Window config = windows.open("reload " + n.name, EnumSet.of(ChaosInvariant.CONFIG), Set.of(n.name), Set.of(),
                System.nanoTime());
        NodeView before = waits.current(n);
        nodes.write(n, next);
        nodes.signal(n, "HUP");
        NodeView after = waits.awaitView(n, "the result of reloading " + n.name,
                v -> v.pid() == before.pid() && v.reloadsOk() + v.reloadsFailed() > before.reloadsOk() + before.reloadsFailed());
        if (after.reloadsOk() == before.reloadsOk()) {
            checker.violation(System.nanoTime(), ChaosInvariant.CONFIG, n.name + " refused a valid file ("
                    + next.summary() + "): " + after.lastReload());
        }
        n.expected = next;
        long anchor = System.nanoTime();
        config.closeAt(anchor);
        return anchor;
    }

    private void broken(ChaosOp.BrokenReload b) throws Exception {
        Node n = nodes.node(b.node());
        String text = ChaosFiles.broken(nodes.render(n, n.expected), b.variant(), b.at());
        NodeView before = waits.current(n);
        nodes.writeRaw(n, text);
        nodes.signal(n, "HUP");
        NodeView after = waits.awaitView(n, "the result of reloading " + n.name + " with a broken file",
                v -> v.pid() == before.pid() && v.reloadsOk() + v.reloadsFailed() > before.reloadsOk() + before.reloadsFailed());
        if (after.reloadsOk() > before.reloadsOk()) {
            checker.violation(System.nanoTime(), ChaosInvariant.CONFIG, n.name + " took a " + b.variant() + " file ("
                    + text.length() + " bytes) as valid: " + after.lastReload());
        }
        nodes.write(n, n.expected); // an operator fixes the file; no reload needed
    }

    private void hupStorm(ChaosOp.HupStorm h) throws Exception {
        Node n = nodes.node(h.node());
        NodeView before = waits.current(n);
        nodes.hupStorm(n, h.count(), h.gapMillis());
        // Signals that arrive during a reload may merge: wait for at least one result, then for no
        // new one during about four advert intervals.
        long total = before.reloadsOk() + before.reloadsFailed();
        NodeView after = waits.awaitView(n, "a reload after the SIGHUP storm", v -> v.reloadsOk() + v.reloadsFailed() > total);
        long quietSince = System.nanoTime();
        long seen = after.reloadsOk() + after.reloadsFailed();
        while (System.nanoTime() - quietSince < timers.masterDown(1)) {
            waits.sleepNanos(timers.interval() / 5);
            after = sampler.latest(n.name);
            if (after.reloadsOk() + after.reloadsFailed() != seen) {
                seen = after.reloadsOk() + after.reloadsFailed();
                quietSince = System.nanoTime();
            }
        }
        timeline.op(System.nanoTime(), "  " + n.name + " reloaded " + (seen - total) + " times for " + h.count() + " SIGHUPs");
        if (after.reloadsFailed() > before.reloadsFailed()) {
            checker.violation(System.nanoTime(), ChaosInvariant.CONFIG, n.name + ": a reload of the unchanged valid file"
                    + " failed during the SIGHUP storm: " + after.lastReload());
        }
    }

    private void restart(ChaosOp.Restart r) throws Exception {
        Node n = nodes.node(r.node());
        Node peer = nodes.node(ChaosNodes.peerOf(r.node()));
        long start = System.nanoTime();
        Window w = windows.open(r.describe(), TAKEOVER, Set.of(), Set.of(), start);
        // The stopping node's claims about itself are moot until it runs again: keepalived's last
        // logged state stays MASTER while it removes its VIPs on SIGTERM (seed 602).
        Window down = windows.open(r.describe(), EnumSet.of(ChaosInvariant.ALIVE, ChaosInvariant.CONFIG,
                ChaosInvariant.MASTER_HOLDS, ChaosInvariant.HEALTHZ), Set.of(n.name), Set.of(), start);
        int status = nodes.stop(n, r.kill());
        long stopped = System.nanoTime();
        timeline.op(stopped, "  " + n.name + " exited with status " + status);
        if (!r.kill() && !n.keepalived && status != 0) {
            checker.violation(stopped, ChaosInvariant.ALIVE, n.name + " exited with status " + status
                    + " on SIGTERM; its log ends:\n" + nodes.logTail(n, 30));
        }
        waits.sleep(r.holdMillis());
        nodes.start(n);
        long started = waits.awaitStarted(n);
        down.closeAt(started);
        close(w, Math.max(started + mdi(n), start + mdi(peer)), timers.interval(),
                "the later of its start + its MDI and the stop + the peer's MDI, + I");
    }

    private void link(ChaosOp.LinkFault l) throws Exception {
        Node n = nodes.node(l.node());
        Node peer = nodes.node(ChaosNodes.peerOf(l.node()));
        long start = System.nanoTime();
        Window w = windows.open(l.describe(), TAKEOVER, Set.of(), Set.of(), start);
        nodes.link(n, l.cable(), false);
        waits.sleep(l.holdMillis());
        nodes.link(n, l.cable(), true);
        long up = System.nanoTime();
        long resolved = waits.awaitNeighbours(n, peer);
        long pid = nodes.pid(n);
        waits.awaitView(n, n.name + " out of FAULT", v -> v.pid() == pid && v.answered() && !v.instances().isEmpty()
                && v.instances().values().stream().noneMatch(i -> i.state().equals("FAULT")));
        long noticed = System.nanoTime();
        timeline.op(noticed, "  link up; " + n.name + " and " + peer.name + " resolved each other "
                + Timers.ms(resolved - up) + " later, " + n.name + " left FAULT " + Timers.ms(noticed - up) + " later");
        close(w, Math.max(Math.max(resolved, noticed) + mdi(n), start + mdi(peer)), timers.interval(),
                "the later of link usable (resolved, out of FAULT) + its MDI and link down + the peer's MDI, + I");
    }

    private void partition(ChaosOp.Partition p) throws Exception {
        Window w = windows.open(p.describe(), TAKEOVER, Set.of(), Set.of(), System.nanoTime());
        long start = System.nanoTime();
        for (Node n : nodes.all()) {
            n.partitioned = true;
        }
        nodes.firewall();
        timeline.op(System.nanoTime(), "  partitioned (nft took " + Timers.ms(System.nanoTime() - start) + ")");
        waits.sleep(p.holdMillis());
        long heal = System.nanoTime();
        for (Node n : nodes.all()) {
            n.partitioned = false;
        }
        nodes.firewall();
        timeline.op(System.nanoTime(), "  healed (nft took " + Timers.ms(System.nanoTime() - heal) + ")");
        close(w, System.nanoTime(), splitEnd(), SPLIT_END);
    }

    private void loss(ChaosOp.Loss l) throws Exception {
        Window w = windows.open(l.describe(), TAKEOVER, Set.of(), Set.of(), System.nanoTime());
        for (String name : l.nodes()) {
            nodes.node(name).lossPercent = l.percent();
        }
        nodes.firewall();
        background.add(new Background(l.kind(), System.nanoTime() + l.millis() * 1_000_000, () -> {
            for (String name : l.nodes()) {
                nodes.node(name).lossPercent = 0;
            }
            nodes.firewall();
            long end = System.nanoTime();
            w.closeAt(end + splitEnd());
            timeline.op(end, "loss into " + l.nodes() + " ended; its window closes " + Timers.ms(splitEnd())
                    + " later (" + SPLIT_END + ")");
        }));
    }

    private void deleteVip(ChaosOp.DeleteVip d) throws Exception {
        String instance = ChaosConfig.instanceOf(d.vip());
        for (Node n : nodes.all()) {
            NodeView v = sampler.latest(n.name);
            NodeView.InstanceView i = v == null ? null : v.instances().get(instance);
            if (i != null && i.state().equals("MASTER") && v.held().contains(d.vip())) {
                if (n.keepalived) {
                    // keepalived 2.2.7 answers with a BACKUP/MASTER bounce (a transition and a gap,
                    // seed 305): its own way, not vipkeeper's promise of no transition.
                    timeline.op(System.nanoTime(), "  " + n.name + " (keepalived) holds " + d.vip() + ": nothing deleted");
                    return;
                }
                nodes.deleteVip(n, d.vip());
                timeline.op(System.nanoTime(), "  deleted " + d.vip() + " on " + n.name);
                waits.sleepNanos(3 * timers.interval());
                return;
            }
        }
        timeline.op(System.nanoTime(), "  no MASTER holds " + d.vip() + ": nothing deleted");
    }

    /** Ends the background operations whose time is up (all of them with {@code all}). */
    void endBackground(boolean all) throws Exception {
        long now = System.nanoTime();
        for (Iterator<Background> it = background.iterator(); it.hasNext();) {
            Background b = it.next();
            if (all || b.endNanos() <= now) {
                b.stop().stop();
                it.remove();
            }
        }
    }

    /** Waits until every window has closed. */
    void awaitQuiet() throws Exception {
        waits.sleepUntil(foregroundEnd);
        waits.sleepUntil(windows.lastEnd());
    }

    private void close(Window w, long anchor, long bound, String why) {
        w.closeAt(anchor + bound);
        foregroundEnd = Math.max(foregroundEnd, anchor + bound);
        timeline.op(System.nanoTime(), "  window " + w + " closes at " + timeline.at(anchor + bound).strip() + " ("
                + why + ")");
    }

    private static final String SPLIT_END = ChaosNodes.SPLIT_END;

    private long splitEnd() {
        return nodes.splitEnd(timers);
    }

    /** The node's Master_Down_Interval for its lowest priority (the longest it may take to take over). */
    private long mdi(Node n) {
        return n.expected.instances().values().stream().mapToLong(i -> timers.masterDown(i.priority())).max()
                .orElseThrow();
    }

}
