package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.it.ChaosSampler.Sample;
import io.vipkeeper.appliance.it.NodeView.InstanceView;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every sample against the invariants ({@link ChaosInvariant}), unless a window an
 * operation opened suspends one for the node or instance concerned. A condition that persists is
 * judged from the time it was first seen, or from the end of the window it began in; it is a
 * violation once it has lasted longer than its allowance outside every window: one advert
 * interval for a MASTER to hold its VIPs and for the client's requests to be answered, one sample
 * (two samples in a row) for everything else. Records changes and violations in the timeline.
 */
final class ChaosChecker {
    private final ChaosNodes nodes;
    private final ChaosWindows windows;
    private final ChaosTimeline timeline;
    private final ChaosWindows.Timers timers;
    private final Map<String, Long> since = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final Map<String, Sample> lastAnswered = new HashMap<>();
    private volatile boolean armed;
    private volatile int stalls;
    private volatile long firstViolation = Long.MAX_VALUE;
    private String previousLine = "";

    ChaosChecker(ChaosNodes nodes, ChaosWindows windows, ChaosTimeline timeline, ChaosWindows.Timers timers) {
        this.nodes = nodes;
        this.windows = windows;
        this.timeline = timeline;
        this.timers = timers;
    }

    /** From now on samples are judged (before: the pair is still electing its first master). */
    void arm() {
        armed = true;
    }

    /** When the first violation was seen; Long.MAX_VALUE while none. */
    long firstViolation() {
        return firstViolation;
    }

    /**
     * The lab's own sampling, at the daemons' priority, stalled from {@code from} to {@code to}
     * (longer than an advert interval): the machine did not schedule its threads, so a daemon may
     * have been as frozen as a dead one, and its peer may rightly have taken over (VRRP cannot tell
     * a frozen master from a dead one). A fault the lab did not make but saw: a takeover window
     * from the stall's start until a split's end after it, like a healed partition; counted and
     * shown in the timeline, so a run says how often the machine itself broke the pair.
     */
    void machineStall(long from, long to) {
        if (!armed) {
            return;
        }
        stalls++;
        ChaosWindows.Window w = windows.open("machine stall", EnumSet.of(ChaosInvariant.NO_TRANSITION,
                ChaosInvariant.ONE_HOLDER, ChaosInvariant.REACH, ChaosInvariant.ELECTED), Set.of(), Set.of(), from);
        long bound = nodes.splitEnd(timers);
        w.closeAt(to + bound);
        timeline.op(to, "  the lab's own sampling stalled " + ChaosWindows.Timers.ms(to - from)
                + " (the machine starved it): takeover window until " + timeline.at(to + bound).strip());
    }

    /** Stalls seen by {@link #machineStall}. */
    int stalls() {
        return stalls;
    }

    void note(long nanos, String text) {
        timeline.op(nanos, text);
    }

    /** Judges one sample (on the sampler's thread). */
    void check(Sample s) {
        String line = line(s);
        if (!line.equals(previousLine)) {
            timeline.sample(s.nanos(), line);
            previousLine = line;
        }
        if (armed) {
            for (NodeView v : s.nodes().values()) {
                ChaosNodes.Node n = nodes.node(v.node());
                checkAlive(s, v, n);
                checkMasterHolds(s, v, n);
                checkTransitions(s, v);
                checkConfig(s, v, n);
            }
            checkHolders(s);
            checkElected(s);
            checkReach(s);
        }
    }

    private void checkAlive(Sample s, NodeView v, ChaosNodes.Node n) {
        // alive was read before expectedAlive: a node the lab is stopping is never seen dead while expected up.
        condition(s, "alive " + v.node(), !v.alive() && n.expectedAlive, ChaosInvariant.ALIVE, v.node(), null, 0,
                () -> v.node() + " exited (status " + exit(n) + ") though the lab did not stop it; its log ends:\n"
                        + nodes.logTail(n, 30));
    }

    private String exit(ChaosNodes.Node n) {
        try {
            return Integer.toString(nodes.exitValue(n));
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private void checkMasterHolds(Sample s, NodeView v, ChaosNodes.Node n) {
        Map<String, ChaosConfig.Instance> expected = n.expected.instances();
        for (Map.Entry<String, InstanceView> e : v.instances().entrySet()) {
            ChaosConfig.Instance conf = expected.get(e.getKey());
            boolean master = e.getValue().state().equals("MASTER") && v.alive();
            for (String vip : conf == null ? List.<String>of() : conf.vips()) {
                boolean lacking = master && !v.held().contains(vip);
                condition(s, "holds " + v.node() + " " + vip, lacking, ChaosInvariant.MASTER_HOLDS, v.node(),
                        e.getKey(), timers.interval(), () -> v.node() + " reports " + e.getKey()
                                + " MASTER but lacks " + vip + " (holds " + v.held() + ")");
                condition(s, "healthz " + v.node() + " " + vip, lacking && v.healthz() == 200, ChaosInvariant.HEALTHZ,
                        v.node(), e.getKey(), timers.interval(), () -> v.node() + " answers /healthz 200 while "
                                + e.getKey() + " is MASTER without " + vip);
            }
        }
    }

    private void checkTransitions(Sample s, NodeView v) {
        if (!v.answered()) {
            return;
        }
        // Against the last sample in which the same process answered: a transition between two
        // answered samples with unanswered ones in between counts as well.
        Sample before = lastAnswered.get(v.node());
        lastAnswered.put(v.node(), s);
        NodeView was = before == null ? null : before.nodes().get(v.node());
        if (was == null || was.pid() != v.pid()) {
            return;
        }
        for (Map.Entry<String, InstanceView> e : v.instances().entrySet()) {
            InstanceView old = was.instances().get(e.getKey());
            if (old != null && old.changedBy(e.getValue(), timers.interval() / 5_000_000)
                    && !windows.covers(ChaosInvariant.NO_TRANSITION, v.node(), e.getKey(), before.nanos(), s.nanos())) {
                violation(s.nanos(), ChaosInvariant.NO_TRANSITION, v.node() + " " + e.getKey() + ": " + old.state()
                        + " -> " + e.getValue().state() + ", transitions " + old.transitions() + " -> "
                        + e.getValue().transitions() + " (last: " + e.getValue().last() + ") where no window allows one");
            }
        }
    }

    private void checkConfig(Sample s, NodeView v, ChaosNodes.Node n) {
        if (n.keepalived || !v.answered()) {
            return;
        }
        List<String> wrong = new ArrayList<>();
        Map<String, ChaosConfig.Instance> expected = n.expected.instances();
        if (!expected.keySet().equals(v.instances().keySet())) {
            wrong.add("instances " + v.instances().keySet() + ", the file has " + expected.keySet());
        } else {
            for (ChaosConfig.Instance i : expected.values()) {
                InstanceView got = v.instances().get(i.name());
                if (got.priority() != i.priority() || got.vrid() != i.vrid()
                        || got.intervalMs() != nodes.intervalMs()) {
                    wrong.add(i.name() + " priority " + got.priority() + " VRID " + got.vrid() + " interval "
                            + got.intervalMs() + " ms, the file has " + i.priority() + ", " + i.vrid() + ", "
                            + nodes.intervalMs() + " ms");
                }
            }
        }
        if (v.digest() != null && !v.digest().equals(ChaosConfig.sha256(nodes.render(n, n.expected)))) {
            wrong.add("config digest " + v.digest() + " is not the last valid file's");
        }
        condition(s, "config " + v.node(), !wrong.isEmpty(), ChaosInvariant.CONFIG, v.node(), null, 0,
                () -> v.node() + " runs a config other than the last valid file (" + n.expected.summary() + "): "
                        + String.join("; ", wrong) + "; last reload: " + v.lastReload());
    }

    private void checkHolders(Sample s) {
        for (String vip : ChaosConfig.allVips()) {
            List<String> holders = s.nodes().values().stream().filter(v -> v.held().contains(vip))
                    .map(NodeView::node).toList();
            condition(s, "one holder " + vip, holders.size() > 1, ChaosInvariant.ONE_HOLDER, null,
                    ChaosConfig.instanceOf(vip), 0, () -> vip + " is on " + holders);
        }
    }

    private void checkElected(Sample s) {
        NodeView a = s.nodes().get("lb1");
        NodeView b = s.nodes().get("lb2");
        if (a == null || b == null || !a.answered() || !b.answered()) {
            return;
        }
        for (String instance : List.of(ChaosConfig.VI_1, ChaosConfig.VI_2)) {
            ChaosConfig.Instance ia = nodes.node("lb1").expected.instances().get(instance);
            ChaosConfig.Instance ib = nodes.node("lb2").expected.instances().get(instance);
            InstanceView va = a.instances().get(instance);
            InstanceView vb = b.instances().get(instance);
            if (ia == null || ib == null || va == null || vb == null) {
                continue;
            }
            boolean aHigh = ia.priority() > ib.priority();
            InstanceView high = aHigh ? va : vb;
            InstanceView low = aHigh ? vb : va;
            boolean right = high.state().equals("MASTER") && low.state().equals("BACKUP");
            condition(s, "elected " + instance, !right, ChaosInvariant.ELECTED, null, instance, 0,
                    () -> instance + ": " + (aHigh ? "lb1" : "lb2") + " (priority " + Math.max(ia.priority(), ib.priority())
                            + ") is " + high.state() + ", " + (aHigh ? "lb2" : "lb1") + " is " + low.state());
        }
    }

    private void checkReach(Sample s) {
        long unanswered = s.unansweredNanos();
        long end = s.nanos();
        long start = end - unanswered;
        long covered = unanswered == 0 ? Long.MIN_VALUE
                : windows.coveredUntil(ChaosInvariant.REACH, null, ChaosConfig.VI_1, start, end);
        long outside = covered >= end ? 0 : end - Math.max(start, covered);
        if (unanswered > 0 && outside > timers.interval() && reported.add("reach")) {
            violation(s.nanos(), ChaosInvariant.REACH, "the client's echo requests to " + ChaosConfig.VIP
                    + " have gone unanswered for " + ChaosWindows.Timers.ms(unanswered) + " ("
                    + ChaosWindows.Timers.ms(outside) + " outside any window; allowed: one advert interval)");
        } else if (unanswered == 0) {
            reported.remove("reach");
        }
    }

    /**
     * A condition that must not last: {@code bad} now; a violation when it has lasted longer than
     * {@code allowance} outside windows suspending {@code inv} for {@code node}/{@code instance}.
     */
    private void condition(Sample s, String key, boolean bad, ChaosInvariant inv, String node, String instance,
            long allowance, java.util.function.Supplier<String> what) {
        if (!bad) {
            since.remove(key);
            reported.remove(key);
            return;
        }
        long from = since.computeIfAbsent(key, k -> s.nanos());
        long covered = windows.coveredUntil(inv, node, instance, from, s.nanos());
        if (covered >= s.nanos()) {
            return;
        }
        long outside = s.nanos() - Math.max(from, covered);
        if (outside > allowance && reported.add(key)) {
            violation(s.nanos(), inv, what.get() + " (for " + ChaosWindows.Timers.ms(outside) + " outside any window)");
        }
    }

    /** A violation the executor found (a reload's result, an exit status). */
    void violation(long nanos, ChaosInvariant inv, String text) {
        if (firstViolation == Long.MAX_VALUE) {
            firstViolation = nanos;
        }
        timeline.violation(nanos, inv.name() + " (" + inv.meaning() + "): " + text);
    }

    /** The sample in one line: per node its states, VIPs, health and reloads; the client's reach. */
    private String line(Sample s) {
        StringBuilder sb = new StringBuilder();
        for (NodeView v : s.nodes().values()) {
            sb.append(v.node()).append(v.alive() ? "" : " DEAD").append(':');
            if (!v.answered()) {
                sb.append(" ?");
            }
            v.instances().forEach((name, i) -> sb.append(' ').append(name).append('=').append(i.state())
                    .append('#').append(i.transitions()).append(i.drops().isEmpty() ? "" : " dropped" + i.drops()));
            sb.append(" vips").append(v.held().stream().map(a -> a.substring(a.lastIndexOf('.'))).toList());
            if (v.healthz() >= 0) {
                sb.append(" healthz=").append(v.healthz());
            }
            if (v.reloadsOk() >= 0) {
                sb.append(" reloads=").append(v.reloadsOk()).append('/').append(v.reloadsFailed());
            }
            sb.append(" | ");
        }
        sb.append(s.unansweredNanos() == 0 ? "client ok"
                : "client: no answer to requests after " + timeline.at(s.lastAnsweredNanos()).strip());
        return sb.toString();
    }
}
