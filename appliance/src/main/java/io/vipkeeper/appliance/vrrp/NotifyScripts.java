package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.Program;
import io.vipkeeper.appliance.script.NotifyQueue;
import io.vipkeeper.appliance.script.ProcessRunner;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.Transition;
import io.vipkeeper.vrrp.fsm.TransitionListener;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instance's notify script as {@code SCRIPT INSTANCE NAME STATE PRIORITY} for every
 * transition, strictly one at a time and in order (keepalived runs them concurrently), each within
 * its timeout; a failing or hanging script is logged and never holds up VRRP. A script that falls
 * behind gets the latest state next: waiting transitions are coalesced ({@link NotifyQueue}).
 */
public final class NotifyScripts implements TransitionListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);

    private final Program program;
    private final ProcessRunner runner;
    private final NotifyQueue<Transition> queue = new NotifyQueue<>(this::deliver, this::skipped);

    /** Notifies through {@code program}. */
    public NotifyScripts(Program program, ProcessRunner runner) {
        this.program = program;
        this.runner = runner;
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
    public void onTransition(Transition t) {
        queue.offer(t);
    }

    private CompletableFuture<?> deliver(Transition t) {
        Program run = program.withArguments("INSTANCE", t.router(), stateWord(t.to()), Integer.toString(t.priority()));
        return runner.run(run).handle((result, error) -> {
            if (error != null) {
                LOG.error("{}: notify script {} failed: {}", t.router(), program.path(), error.toString());
            } else if (!result.ok()) {
                LOG.warn("{}: notify script {} {} for {}{}", t.router(), program.path(), result.describe(),
                        stateWord(t.to()), result.output().isEmpty() ? "" : ": " + result.output());
            } else {
                LOG.debug("{}: notify script {} ran for {}", t.router(), program.path(), stateWord(t.to()));
            }
            return null;
        });
    }

    private void skipped(Transition dropped, Transition newer) {
        LOG.warn("{}: notify script {} fell behind: {} skipped for the newer {}", dropped.router(), program.path(),
                stateWord(dropped.to()), stateWord(newer.to()));
    }

    /** Completes when every notification queued so far has run or been skipped (for shutdown and tests). */
    public CompletableFuture<?> idle() {
        return queue.idle();
    }
}
