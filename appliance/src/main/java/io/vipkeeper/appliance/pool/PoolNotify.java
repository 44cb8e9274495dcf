package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.Program;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.script.NotifyQueue;
import io.vipkeeper.appliance.script.ProcessRunner;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a real server's notify-up / notify-down program as {@code PROGRAM VIRTUAL-SERVER
 * REAL-SERVER UP|DOWN}, one at a time per real server and in the order of the changes, each within
 * its timeout; when the programs fall behind, waiting changes are coalesced to the latest
 * ({@link NotifyQueue}). Failures are logged and counted, never holding up the pool.
 */
final class PoolNotify {
    private static final Logger log = LoggerFactory.getLogger(PoolNotify.class);

    private final ProcessRunner runner;
    private final Map<String, NotifyQueue<Change>> queues = new HashMap<>();
    private final AtomicLong failures = new AtomicLong();

    /** One up/down change of a real server, with the program it runs. */
    private record Change(String virtualServer, String realServer, boolean up, Program program) {
        String word() {
            return up ? "UP" : "DOWN";
        }
    }

    PoolNotify(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Queues the program for {@code rs}'s change, if it has one. */
    synchronized void changed(String virtualServer, RealServer rs, boolean up) {
        Optional<Program> program = up ? rs.notifyUp() : rs.notifyDown();
        if (program.isEmpty()) {
            return;
        }
        Change c = new Change(virtualServer, rs.identity(), up, program.get());
        queues.computeIfAbsent(virtualServer + " " + c.realServer(), k -> new NotifyQueue<>(this::deliver, this::skipped))
                .offer(c);
    }

    private CompletableFuture<?> deliver(Change c) {
        return runner.run(c.program().withArguments(c.virtualServer(), c.realServer(), c.word()))
                .handle((result, error) -> {
                    if (error != null || !result.ok()) {
                        failures.incrementAndGet();
                        log.warn("pool {}: notify {} for {} {}: {}", c.virtualServer(), c.program().path(),
                                c.realServer(), c.word(), error != null ? error.toString() : result.describe()
                                        + (result.output().isEmpty() ? "" : ": " + result.output()));
                    } else {
                        log.debug("pool {}: notify {} ran for {} {}", c.virtualServer(), c.program().path(),
                                c.realServer(), c.word());
                    }
                    return null;
                });
    }

    private void skipped(Change dropped, Change newer) {
        log.warn("pool {}: notify for {} fell behind: {} skipped for the newer {}", dropped.virtualServer(),
                dropped.realServer(), dropped.word(), newer.word());
    }

    /** Completes when everything queued so far has run or been skipped (tests, shutdown). */
    synchronized CompletableFuture<?> idle() {
        return CompletableFuture.allOf(queues.values().stream().map(NotifyQueue::idle)
                .toArray(CompletableFuture[]::new));
    }

    /** Notify programs that failed or timed out. */
    long failures() {
        return failures.get();
    }
}
