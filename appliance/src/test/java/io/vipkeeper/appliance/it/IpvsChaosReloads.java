package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.appliance.vm.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * The IPVS fault lab's reloads, from a thread in the load balancer's namespace: a valid file, a
 * broken one (put right afterwards without a reload) and SIGHUP storms, each judged by the
 * daemon's status: a valid file must be taken, a broken one refused, a SIGHUP of the same file
 * must succeed. Before a file is written no reload may run or wait, so each result is known to
 * be the reload of that file.
 */
final class IpvsChaosReloads {
    /** How long a reload may take to show its result in the status. */
    private static final long RELOAD_NANOS = 60_000_000_000L;
    private final JarProcess daemon;
    private final Path conf;
    private final IpvsChaosChecker checker;
    private final IpvsChaosTimeline timeline;

    IpvsChaosReloads(JarProcess daemon, Path conf, IpvsChaosChecker checker, IpvsChaosTimeline timeline) {
        this.daemon = daemon;
        this.conf = conf;
        this.checker = checker;
        this.timeline = timeline;
    }

    /** The status now (waits for an answer, at most 60 s). */
    private static StatusSnapshot statusNow() throws InterruptedException {
        long deadline = System.nanoTime() + RELOAD_NANOS;
        while (System.nanoTime() < deadline) {
            StatusSnapshot s = IpvsChaosProbes.status();
            if (s != null) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the status API did not answer for 60 s");
    }

    private static long reloads(StatusSnapshot s) {
        return s.reloads().ok() + s.reloads().failed();
    }

    /**
     * The daemon's threads named "SIGHUP handler": the JDK runs each SIGHUP's handler on a new
     * thread of that name, which waits for the reload before it. None means no reload runs or waits.
     */
    private int hupHandlers() {
        int n = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + daemon.pid() + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().equals("SIGHUP handler")) {
                        n++;
                    }
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return 0; // the daemon is gone: the sampler reports it
        }
        return n;
    }

    /** Waits until no reload runs or waits (seen twice, 200 ms apart), at most two minutes; returns the most handlers seen. */
    private int awaitNoReload() throws InterruptedException {
        long deadline = System.nanoTime() + 2 * RELOAD_NANOS;
        int most = 0;
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() < deadline) {
            int n = hupHandlers();
            most = Math.max(most, n);
            quiet = n == 0 ? quiet + 1 : 0;
            Thread.sleep(200);
        }
        if (quiet < 2) {
            checker.violation(System.nanoTime(), IpvsChaosInvariant.RELOAD, "reloads still running or waiting after 2 minutes");
        }
        return most;
    }

    /** Writes the valid file, SIGHUP, waits for the result: the file's digest in force, the reload ok. */
    void valid(String text, String newDigest) throws Exception {
        awaitNoReload();
        long before = reloads(statusNow());
        Files.writeString(conf, text);
        java.time.Instant sent = java.time.Instant.now();
        daemon.signal("HUP");
        StatusSnapshot s = awaitResult(before, sent);
        if (s == null) {
            checker.violation(System.nanoTime(), IpvsChaosInvariant.RELOAD, "no reload result within 60 s of SIGHUP");
        } else if (!s.reloads().last().ok() || !newDigest.equals(s.configDigest())) {
            checker.violation(System.nanoTime(), IpvsChaosInvariant.RELOAD, "the valid file is not in force after its"
                    + " reload: " + lastReload(s));
        }
    }

    /** Writes {@code valid} broken as {@code b} says, SIGHUP, waits for the result (refused), puts {@code valid} back. */
    void broken(String valid, IpvsChaosOp.BrokenReload b) throws Exception {
        awaitNoReload();
        StatusSnapshot was = statusNow();
        Files.writeString(conf, IpvsChaosBrokenFiles.broken(valid, b.variant(), b.at()));
        java.time.Instant sent = java.time.Instant.now();
        daemon.signal("HUP");
        StatusSnapshot s = awaitResult(reloads(was), sent);
        Files.writeString(conf, valid);
        if (s == null) {
            checker.violation(System.nanoTime(), IpvsChaosInvariant.RELOAD, "no reload result within 60 s of SIGHUP");
        } else if (s.reloads().ok() > was.reloads().ok()) {
            checker.violation(System.nanoTime(), IpvsChaosInvariant.RELOAD, "the broken file (" + b.variant()
                    + ") was taken: " + lastReload(s));
        } else {
            timeline.note(System.nanoTime(), "refused: " + s.reloads().last().problems());
        }
    }

    /** The SIGHUPs from one shell, then waits until every reload has run: each must succeed (the file is valid). */
    void storm(IpvsChaosOp.HupStorm h) throws Exception {
        StatusSnapshot was = statusNow();
        String gap = String.format(java.util.Locale.ROOT, "%.3f", h.gapMillis() / 1000.0);
        Shell.Result r = IpvsChaosProbes.run(null, List.of("sh", "-c", "for i in $(seq " + h.count() + "); do kill -HUP "
                + daemon.pid() + "; sleep " + gap + "; done"));
        if (r.code() != 0) {
            throw new IllegalStateException("the SIGHUP storm did not run: " + r.output());
        }
        int handlers = awaitNoReload();
        StatusSnapshot s = statusNow();
        timeline.note(System.nanoTime(), (reloads(s) - reloads(was)) + " reload(s), at most " + handlers
                + " SIGHUP handler(s) at once");
        if (s.reloads().failed() > was.reloads().failed()) {
            checker.violation(System.nanoTime(), IpvsChaosInvariant.RELOAD, "a SIGHUP of the valid file failed: "
                    + lastReload(s));
        }
    }

    /**
     * Waits for the result of the reload that SIGHUP at {@code sent} started: the count above
     * {@code before}, and the last result from after {@code sent}. A status that counts the
     * reload but shows an older result (or none) is a violation: a client waiting for the count
     * would read the wrong outcome. Null when nothing came within 60 s.
     */
    private StatusSnapshot awaitResult(long before, java.time.Instant sent) throws InterruptedException {
        StatusSnapshot s = awaitStatus(x -> reloads(x) > before);
        if (s != null && !after(s, sent)) {
            checker.violation(System.nanoTime(), IpvsChaosInvariant.RELOAD, "the status counts " + reloads(s)
                    + " reloads but shows the result of an earlier one: " + lastReload(s));
            s = awaitStatus(x -> after(x, sent));
        }
        return s;
    }

    private static boolean after(StatusSnapshot s, java.time.Instant sent) {
        return s.reloads().last() != null && !java.time.Instant.parse(s.reloads().last().at()).isBefore(sent);
    }

    private static StatusSnapshot awaitStatus(Predicate<StatusSnapshot> done) throws InterruptedException {
        long deadline = System.nanoTime() + RELOAD_NANOS;
        while (System.nanoTime() < deadline) {
            StatusSnapshot s = IpvsChaosProbes.status();
            if (s != null && done.test(s)) {
                return s;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static String lastReload(StatusSnapshot s) {
        StatusSnapshot.LastReload l = s.reloads().last();
        return l == null ? "none" : (l.ok() ? "ok: " : "failed: ") + l.summary() + " " + l.problems();
    }
}
