package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.it.ChaosNodes.Node;
import io.vipkeeper.appliance.it.ChaosWindows.Timers;
import java.util.function.Predicate;

/**
 * The fault lab's waiting: for a daemon's answer in the latest sample (a reload's result, a
 * start), for two nodes to resolve each other, or just for time. Every wait ends early, with
 * {@link Aborted}, once a violation ends the run; a daemon that does not answer within a minute
 * is a violation itself.
 */
final class ChaosWaits {
    /** A wait for a daemon's answer gives up after this long: then it is a violation. */
    private static final long ANSWER_TIMEOUT_NANOS = 60_000_000_000L;

    private final ChaosNodes nodes;
    private final ChaosChecker checker;
    private final ChaosSampler sampler;
    private final ChaosTimeline timeline;
    private final Timers timers;

    /** Thrown out of a wait once a violation ends the run. */
    static final class Aborted extends Exception {
        Aborted() {
            super("a violation ended the run");
        }
    }

    ChaosWaits(ChaosNodes nodes, ChaosChecker checker, ChaosSampler sampler, ChaosTimeline timeline, Timers timers) {
        this.nodes = nodes;
        this.checker = checker;
        this.sampler = sampler;
        this.timeline = timeline;
        this.timers = timers;
    }

    /**
     * Waits until neither node has an unresolved (INCOMPLETE) neighbour entry for the other: while
     * one has, its unicast adverts wait in the ARP queue for the kernel's next retransmission
     * (retrans_time_ms, up to three probes), so the link is up but VRRP cannot cross yet. A link
     * fault's window is bounded from this moment on. Returns when it saw that.
     */
    long awaitNeighbours(Node a, Node b) throws Exception {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        while (nodes.unresolved(a, b) || nodes.unresolved(b, a)) {
            if (System.nanoTime() > deadline) {
                checker.violation(System.nanoTime(), ChaosInvariant.ALIVE, a.name + " and " + b.name
                        + " did not resolve each other's addresses after the link came back");
                throw new Aborted();
            }
            sleepNanos(timers.interval() / 5);
        }
        return System.nanoTime();
    }

    /** The latest view of the node's current process, once its daemon has answered. */
    NodeView current(Node n) throws Exception {
        long pid = nodes.pid(n);
        return awaitView(n, n.name + "'s state", v -> v.pid() == pid && v.answered());
    }

    /** Waits until the started node reports every instance out of INITIALIZE; returns when it saw that. */
    long awaitStarted(Node n) throws Exception {
        long pid = nodes.pid(n);
        awaitView(n, n.name + " to start", v -> v.pid() == pid && v.answered()
                && v.instances().keySet().containsAll(n.expected.instances().keySet())
                && v.instances().values().stream().noneMatch(i -> i.state().equals("INITIALIZE")));
        long at = System.nanoTime();
        timeline.op(at, "  " + n.name + " started (pid " + pid + ")");
        return at;
    }

    NodeView awaitView(Node n, String what, Predicate<NodeView> ok) throws Exception {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        while (true) {
            NodeView v = sampler.latest(n.name);
            if (v != null && ok.test(v)) {
                return v;
            }
            if (checker.firstViolation() != Long.MAX_VALUE) {
                throw new Aborted();
            }
            if (System.nanoTime() > deadline) {
                checker.violation(System.nanoTime(), ChaosInvariant.ALIVE, "no " + what + " within "
                        + ANSWER_TIMEOUT_NANOS / 1_000_000_000 + " s; its log ends:\n" + nodes.logTail(n, 30));
                throw new Aborted();
            }
            sleepNanos(timers.interval() / 5);
        }
    }

    void sleep(long millis) throws Exception {
        sleepNanos(millis * 1_000_000);
    }

    void sleepUntil(long nanos) throws Exception {
        if (nanos != Long.MIN_VALUE) {
            sleepNanos(nanos - System.nanoTime());
        }
    }

    /** Sleeps, waking early (Aborted) when a violation ends the run. */
    void sleepNanos(long nanos) throws Exception {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            if (checker.firstViolation() != Long.MAX_VALUE) {
                throw new Aborted();
            }
            Thread.sleep(Math.min(left / 1_000_000 + 1, 50));
        }
    }
}
