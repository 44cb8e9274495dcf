package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.Transition;
import io.vipkeeper.vrrp.fsm.TransitionListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instance's notify script as {@code SCRIPT INSTANCE NAME STATE PRIORITY} for every
 * transition, strictly one at a time and in order (keepalived runs them concurrently), each with a
 * timeout; a failing or hanging script is logged and never holds up VRRP.
 */
public final class NotifyScripts implements TransitionListener {
    /** A notify script taking longer is killed. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);

    private final String script;
    private final ProcessRunner runner;
    private final Duration timeout;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    /** Notifies through {@code script} (absolute path), killing runs after {@code timeout}. */
    public NotifyScripts(String script, ProcessRunner runner, Duration timeout) {
        this.script = script;
        this.runner = runner;
        this.timeout = timeout;
    }

    /** The state word keepalived passes, which existing scripts test for. */
    static String stateWord(RouterState state) {
        return switch (state) {
            case MASTER -> "MASTER";
            case BACKUP -> "BACKUP";
            case FAULT -> "FAULT";
            case INITIALIZE -> "STOP";
        };
    }

    @Override
    public synchronized void onTransition(Transition t) {
        List<String> command = List.of(script, "INSTANCE", t.router(), stateWord(t.to()),
                Integer.toString(t.priority()));
        tail = tail.thenCompose(ignored -> runner.run(command, timeout)).handle((result, error) -> {
            if (error != null) {
                LOG.error("{}: notify script {} failed: {}", t.router(), script, error.toString());
            } else if (!result.ok()) {
                LOG.warn("{}: notify script {} {} for {}{}", t.router(), script, result.describe(),
                        stateWord(t.to()), result.output().isEmpty() ? "" : ": " + result.output());
            } else {
                LOG.debug("{}: notify script {} ran for {}", t.router(), script, stateWord(t.to()));
            }
            return null;
        });
    }

    /** Completes when every notification queued so far has run (for shutdown and tests). */
    public synchronized CompletableFuture<?> idle() {
        return tail;
    }
}
