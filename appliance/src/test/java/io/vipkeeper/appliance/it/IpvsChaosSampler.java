package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.appliance.vm.Shell;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Samples the load balancer back to back (with a short rest that leaves the two CPUs to the
 * daemon) from a thread inside its namespace: {@code ipvsadm -Sn}, {@code nft -j list ruleset} and
 * the daemon's {@code /status}, and hands each sample to the {@link IpvsChaosChecker}.
 */
final class IpvsChaosSampler implements AutoCloseable {
    /** Rest between samples. */
    private static final long REST_MILLIS = 250;
    private final String ns;
    private final IpvsChaosChecker checker;
    private final IpvsChaosTimeline timeline;
    private final JarProcess daemon;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile IpvsChaosSample latest;

    IpvsChaosSampler(String ns, IpvsChaosChecker checker, IpvsChaosTimeline timeline, JarProcess daemon) {
        this.ns = ns;
        this.checker = checker;
        this.timeline = timeline;
        this.daemon = daemon;
        thread = new Thread(this::loop, "ipvs-chaos-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        NamespaceThreads.enter(ns);
        while (running) {
            try {
                latest = sample();
                checker.check(latest);
                Thread.sleep(REST_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                timeline.note(System.nanoTime(), "sampler: " + e);
            }
        }
    }

    private IpvsChaosSample sample() {
        long start = System.nanoTime();
        SortedMap<String, String> expected = checker.expected();
        SortedMap<String, String> actual = new TreeMap<>();
        Shell.Result ipvs = IpvsChaosProbes.run("ipvsadm -Sn");
        IpvsChaosSample.Span ipvsSpan = null;
        if (ipvs.code() == 0) {
            actual.putAll(IpvsChaosExpected.ipvsElements(ipvs.output()));
            ipvsSpan = new IpvsChaosSample.Span(start, System.nanoTime());
        } else {
            timeline.note(start, "ipvsadm -Sn failed: " + ipvs.output().strip());
        }
        long nftStart = System.nanoTime();
        Shell.Result nft = IpvsChaosProbes.run(null, List.of("nft", "-j", "list", "ruleset"));
        IpvsChaosSample.Span nftSpan = null;
        if (nft.code() == 0) {
            try {
                IpvsChaosNft.tables(nft.output()).forEach((t, v) -> actual.put(IpvsChaosExpected.tableElement(t), v));
                nftSpan = new IpvsChaosSample.Span(nftStart, System.nanoTime());
            } catch (java.io.IOException e) {
                timeline.note(start, "nft -j list ruleset: " + e.getMessage());
            }
        } else {
            timeline.note(start, "nft -j list ruleset failed: " + nft.output().strip());
        }
        long statusStart = System.nanoTime();
        StatusSnapshot status = IpvsChaosProbes.status();
        IpvsChaosSample.Span statusSpan = null;
        if (status != null) {
            statusSpan = new IpvsChaosSample.Span(statusStart, System.nanoTime());
            actual.put(IpvsChaosExpected.DIGEST, status.configDigest());
        }
        boolean alive = daemon.isAlive();
        return new IpvsChaosSample(start, System.nanoTime(), expected, actual, ipvsSpan, nftSpan, statusSpan, status,
                alive);
    }

    /** The newest sample (null before the first). */
    IpvsChaosSample latest() {
        return latest;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
