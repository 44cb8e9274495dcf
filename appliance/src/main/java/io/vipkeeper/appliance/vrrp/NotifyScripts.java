package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.Program;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.appliance.script.NotifyQueue;
import io.vipkeeper.appliance.script.ProcessRunner;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.Transition;
import io.vipkeeper.vrrp.fsm.TransitionListener;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instance's notify programs for every transition: the program of the new state (keepalived's
 * notify_master and kin, without arguments), then the notify script as
 * {@code SCRIPT INSTANCE NAME STATE PRIORITY}, which with notify-priority-changes also hears each
 * change of the effective priority. Strictly one at a time and in order (keepalived runs them
 * concurrently), each within its timeout; a failing or hanging program is logged and never holds
 * up VRRP. A program that falls behind gets the latest notice next: waiting ones are coalesced
 * ({@link NotifyQueue}).
 */
public final class NotifyScripts implements TransitionListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);

    /**
     * What to tell.
     *
     * @param router the instance
     * @param state its state now
     * @param priority its effective priority now
     * @param priorityOnly a priority change, not a transition (the state programs do not run)
     */
    private record Notice(String router, RouterState state, int priority, boolean priorityOnly) {
    }

    private final Optional<Program> program;
    private final VrrpInstance.Notifies notifies;
    private final ProcessRunner runner;
    private final NotifyQueue<Notice> queue = new NotifyQueue<>(this::deliver, this::skipped);

    /** Notifies through the notify script {@code program} alone. */
    public NotifyScripts(Program program, ProcessRunner runner) {
        this(Optional.of(program), VrrpInstance.Notifies.NONE, runner);
    }

    /** Notifies through the notify script {@code program} (if any) and the per-state {@code notifies}. */
    public NotifyScripts(Optional<Program> program, VrrpInstance.Notifies notifies, ProcessRunner runner) {
        this.program = program;
        this.notifies = notifies;
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
        queue.offer(new Notice(t.router(), t.to(), t.priority(), false));
    }

    /** The effective priority of {@code router} (in {@code state}) changed: told with notify-priority-changes. */
    public void onPriority(String router, RouterState state, int priority) {
        if (notifies.priorityChanges() && program.isPresent()) {
            queue.offer(new Notice(router, state, priority, true));
        }
    }

    private Optional<Program> stateProgram(RouterState state) {
        return switch (state) {
            case MASTER -> notifies.master();
            case BACKUP -> notifies.backup();
            case FAULT -> notifies.fault();
            case INITIALIZE -> notifies.stop();
        };
    }

    private CompletableFuture<?> deliver(Notice n) {
        CompletableFuture<?> first = n.priorityOnly() ? CompletableFuture.completedFuture(null)
                : stateProgram(n.state()).map(p -> run(n, p)).orElse(CompletableFuture.completedFuture(null));
        return first.thenCompose(ignored -> program.map(p -> run(n, p.withArguments("INSTANCE", n.router(),
                stateWord(n.state()), Integer.toString(n.priority())))).orElse(CompletableFuture.completedFuture(null)));
    }

    private CompletableFuture<?> run(Notice n, Program p) {
        String what = n.priorityOnly() ? "priority " + n.priority() : stateWord(n.state());
        return runner.run(p).handle((result, error) -> {
            if (error != null) {
                LOG.error("{}: notify program {} failed: {}", n.router(), p.path(), error.toString());
            } else if (!result.ok()) {
                LOG.warn("{}: notify program {} {} for {}{}", n.router(), p.path(), result.describe(), what,
                        result.output().isEmpty() ? "" : ": " + result.output());
            } else {
                LOG.debug("{}: notify program {} ran for {}", n.router(), p.path(), what);
            }
            return null;
        });
    }

    private void skipped(Notice dropped, Notice newer) {
        LOG.warn("{}: notify programs fell behind: {} skipped for the newer {}", dropped.router(),
                stateWord(dropped.state()), stateWord(newer.state()));
    }

    /** Completes when every notification queued so far has run or been skipped (for shutdown and tests). */
    public CompletableFuture<?> idle() {
        return queue.idle();
    }
}
