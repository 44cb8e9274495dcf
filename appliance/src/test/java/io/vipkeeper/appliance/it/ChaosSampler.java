package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the lab at a fixed period (a fifth of the advert interval): the VIPs on each node by
 * rtnetlink dumps, each vipkeeper's /status (and /healthz when a MASTER lacks a VIP) over
 * kept-alive connections from the client's namespace (its threads entered it), keepalived's log,
 * the processes and the client's probe; hands every sample to the {@link ChaosChecker}.
 */
final class ChaosSampler implements AutoCloseable {
    private final ChaosNodes nodes;
    private final ChaosChecker checker;
    private final VipProbe probe;
    private final long periodNanos;
    private final String clientNs;
    private final Map<String, NamespaceAddresses> addresses = new LinkedHashMap<>();
    private final Map<String, NodeView.KeepalivedLog> logs = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Map<String, NodeView> latest = Map.of();
    private long ticks;
    private long maxGapNanos;
    /** Gaps between samples longer than an advert interval. */
    private long longGaps;
    private long firstTick;
    private long lastTick;

    /**
     * One moment of the lab: every node, and the client's probe.
     *
     * @param unansweredNanos for how long the client's echo requests have gone unanswered
     * @param lastAnsweredNanos when the newest answered request was sent
     */
    record Sample(long nanos, Map<String, NodeView> nodes, long unansweredNanos, long lastAnsweredNanos) {
    }

    ChaosSampler(ChaosNodes nodes, ChaosChecker checker, VipProbe probe, long periodNanos, String clientNs)
            throws Exception {
        this.nodes = nodes;
        this.checker = checker;
        this.probe = probe;
        this.periodNanos = periodNanos;
        this.clientNs = clientNs;
        for (ChaosNodes.Node n : nodes.all()) {
            addresses.put(n.name, new NamespaceAddresses(n.ns));
        }
        thread = new Thread(this::loop, "chaos-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        // One thread per node, in the client's namespace: the nodes are read in parallel, so a slow
        // answer from one does not delay the other's sample.
        ExecutorService readers = Executors.newFixedThreadPool(nodes.all().size(),
                NamespaceThreads.factory(clientNs, "chaos-reader"));
        Map<String, ApiConnection> apis = new HashMap<>();
        for (ChaosNodes.Node n : nodes.all()) {
            // An answer must come within a few sampling periods, or the sample goes on without it.
            apis.put(n.name, new ApiConnection(n.expected.address(), ChaosConfig.API_PORT,
                    (int) Math.max(20, periodNanos * 5 / 1_000_000)));
        }
        Map<String, Future<NodeView>> inFlight = new HashMap<>();
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (lastTick != 0 && now - lastTick > 5 * periodNanos) {
                // This thread, at the daemons' priority, got no CPU for a whole advert interval.
                checker.machineStall(lastTick, now);
            }
            try {
                Map<String, Future<NodeView>> reads = new LinkedHashMap<>();
                for (ChaosNodes.Node n : nodes.all()) {
                    Future<NodeView> late = inFlight.get(n.name);
                    if (late == null || late.isDone()) {
                        Set<String> held = held(n);
                        Future<NodeView> f = readers.submit(() -> read(n, held, apis.get(n.name)));
                        reads.put(n.name, f);
                        inFlight.put(n.name, f);
                    }
                }
                Map<String, NodeView> views = new LinkedHashMap<>();
                long deadline = now + periodNanos;
                for (ChaosNodes.Node n : nodes.all()) {
                    Future<NodeView> f = reads.get(n.name);
                    try {
                        views.put(n.name, f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                    } catch (TimeoutException | NullPointerException e) {
                        // Still waiting for its API (a start, a pause): this sample knows its VIPs only.
                        views.put(n.name, unanswered(n, held(n)));
                    }
                }
                latest = views;
                checker.check(new Sample(now, views, probe.unansweredNanos(periodNanos), probe.newestAnswered()));
            } catch (InterruptedException e) {
                break;
            } catch (ExecutionException | RuntimeException e) {
                checker.note(now, "sampler: " + e);
            }
            synchronized (this) {
                if (ticks++ == 0) {
                    firstTick = now;
                } else {
                    maxGapNanos = Math.max(maxGapNanos, now - lastTick);
                    if (now - lastTick > 5 * periodNanos) {
                        longGaps++;
                    }
                }
                lastTick = now;
            }
            next += periodNanos;
            long after = System.nanoTime();
            if (after - next > periodNanos) {
                next = after; // fell behind: no burst of samples to catch up
            }
            LockSupport.parkNanos(next - after);
        }
        readers.shutdownNow();
        apis.values().forEach(ApiConnection::close);
    }

    /** The lab's VIPs on the node's interfaces now. */
    private Set<String> held(ChaosNodes.Node n) {
        Set<String> held = new TreeSet<>(addresses.get(n.name).all());
        held.retainAll(ChaosConfig.allVips());
        return held;
    }

    private NodeView unanswered(ChaosNodes.Node n, Set<String> held) {
        AutoCloseable process = n.process;
        return NodeView.vipkeeper(n.name, process == null ? -1 : nodes.pid(n), process != null && nodes.alive(n), held,
                null);
    }

    /** One node: its process and the daemon's own account, beside the VIPs {@code held}. */
    private NodeView read(ChaosNodes.Node n, Set<String> held, ApiConnection api) {
        AutoCloseable process = n.process;
        boolean alive = process != null && nodes.alive(n);
        long pid = process == null ? -1 : nodes.pid(n);
        if (n.keepalived) {
            NodeView.KeepalivedLog log = logs.get(n.name);
            if (process instanceof Keepalived k && (log == null || !log.file().equals(k.logFile()))) {
                log = new NodeView.KeepalivedLog(k.logFile());
                logs.put(n.name, log);
            }
            return log == null ? NodeView.vipkeeper(n.name, pid, alive, held, null)
                    : log.read(n.name, pid, alive, held);
        }
        if (!alive || !n.linkUp) {
            return NodeView.vipkeeper(n.name, pid, alive, held, null);
        }
        ApiConnection.Answer a = api.get("/status");
        NodeView v = NodeView.vipkeeper(n.name, pid, alive, held, a == null || a.status() != 200 ? null : a.body());
        if (v.masterLacking(n.expected)) {
            // /healthz matters while a MASTER lacks a VIP: ask it right away, in the same sample.
            ApiConnection.Answer h = api.get("/healthz");
            v = v.withHealthz(h == null ? -1 : h.status());
        }
        return v;
    }

    /** Counts samples from now on (the pair has elected its first master). */
    synchronized void restartStats() {
        ticks = 0;
        maxGapNanos = 0;
        longGaps = 0;
    }

    /** The node as the latest sample saw it (null before the first). */
    NodeView latest(String node) {
        return latest.get(node);
    }

    /** Samples taken, the mean and the longest period between two, for the report. */
    synchronized String stats() {
        double mean = ticks > 1 ? (lastTick - firstTick) / 1e6 / (ticks - 1) : Double.NaN;
        return String.format(java.util.Locale.ROOT, "%d samples, every %.1f ms on average (target %.1f ms), longest gap"
                + " %.1f ms, %d gap(s) longer than an advert interval", ticks, mean, periodNanos / 1e6, maxGapNanos / 1e6,
                longGaps);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
        addresses.values().forEach(NamespaceAddresses::close);
    }
}
