package io.vipkeeper.appliance.health;

import io.netty.channel.EventLoop;
import io.vipkeeper.appliance.config.Program;
import io.vipkeeper.appliance.script.ProcessRunner;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs a program (keepalived's MISC_CHECK) on the script threads, never on the loop; exit 0 within
 * the timeout is up, and a program still running at the timeout is killed with its children.
 */
final class ScriptProbe implements Probe {
    private final ProcessRunner runner;
    private final Program program;

    ScriptProbe(ProcessRunner runner, Program program) {
        this.runner = runner;
        this.program = program;
    }

    @Override
    public void run(EventLoop loop, Consumer<CheckResult> done) {
        // The attempt's own timer is a backstop for a queue of scripts; the runner kills at the timeout.
        Duration timeout = program.timeout();
        Attempt attempt = new Attempt(loop, timeout.plusSeconds(1), CheckResult.down(Failures.timeout(timeout)), done);
        runner.run(program).whenComplete((r, e) -> loop.execute(() -> {
            if (e != null) {
                attempt.fail(e);
            } else if (r.ok()) {
                attempt.finish(CheckResult.up("exit 0"));
            } else if (r.timedOut()) {
                attempt.fail(Failures.timeout(timeout));
            } else {
                attempt.fail(r.describe());
            }
        }));
    }
}
