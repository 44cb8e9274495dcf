package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.vrrp.ProcessRunner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a real server's notify-up / notify-down program as {@code PROGRAM VIRTUAL-SERVER
 * REAL-SERVER UP|DOWN}, one at a time per real server and in the order of the changes, each with
 * a timeout; failures are logged and counted, never holding up the pool.
 */
final class PoolNotify {
    private static final Logger log = LoggerFactory.getLogger(PoolNotify.class);
    /** A notify program taking longer is killed. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ProcessRunner runner;
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

    PoolNotify(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Queues the program for {@code rs}'s change, if it has one. */
    synchronized void changed(String virtualServer, RealServer rs, boolean up) {
        java.util.Optional<String> program = up ? rs.notifyUp() : rs.notifyDown();
        if (program.isEmpty()) {
            return;
        }
        String who = rs.identity();
        String word = up ? "UP" : "DOWN";
        List<String> command = List.of(program.get(), virtualServer, who, word);
        String key = virtualServer + " " + who;
        CompletableFuture<?> tail = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
        tails.put(key, tail.thenCompose(ignored -> runner.run(command, TIMEOUT)).handle((result, error) -> {
            if (error != null || !result.ok()) {
                failures.incrementAndGet();
                log.warn("pool {}: notify {} for {} {}: {}", virtualServer, program.get(), who, word,
                        error != null ? error.toString() : result.describe()
                                + (result.output().isEmpty() ? "" : ": " + result.output()));
            } else {
                log.debug("pool {}: notify {} ran for {} {}", virtualServer, program.get(), who, word);
            }
            return null;
        }));
    }

    /** Completes when everything queued so far has run (tests, shutdown). */
    synchronized CompletableFuture<?> idle() {
        return CompletableFuture.allOf(tails.values().toArray(CompletableFuture[]::new));
    }

    /** Notify programs that failed or timed out. */
    long failures() {
        return failures.get();
    }
}
