package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.daemon.Daemon;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vipkeeper run}: the daemon, in the foreground (systemd runs it this way). */
@Command(name = "run", description = "Run the daemon in the foreground until SIGTERM; SIGHUP reloads the config.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption options;

    @Override
    public Integer call() throws InterruptedException {
        return new Daemon(options.file(), options.verbosity()).run();
    }
}
