package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.daemon.Daemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vipkeeper run}: the daemon, in the foreground (systemd runs it this way). */
@Command(name = "run", description = {"Run the daemon in the foreground until SIGTERM; SIGHUP reloads the config.",
        "Signals: HUP reloads, TERM and INT stop (a master hands over first), USR1 and USR2 write the data and stats"
                + " dumps in the run directory."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption options;

    @Mixin
    DaemonOptions daemon;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the daemon keeps what must outlive it, "
            + "such as the IPVS services it owns (default: ${DEFAULT-VALUE}); a second daemon needs its own.")
    Path stateDir = Daemon.DEFAULT_STATE_DIR;

    @Override
    public Integer call() throws InterruptedException {
        return new Daemon(options.file(), options.node(), options.verbosity(), daemon.files(), stateDir).run();
    }
}
