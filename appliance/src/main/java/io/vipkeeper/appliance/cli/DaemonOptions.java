package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.daemon.RunFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which daemon a command means, shared by {@code run} and every command that talks to the daemon
 * (add it with one line: {@code @Mixin DaemonOptions daemon;}): {@code --run-dir} names its run
 * directory (pid file, control socket, dumps), and the older {@code --pid-file} still names the pid
 * file, whose directory is then the run directory unless {@code --run-dir} is given too.
 */
public final class DaemonOptions {
    @Option(names = "--run-dir", paramLabel = "DIR", description = "The daemon's run directory: pid file, control socket"
            + " (control.sock), last reload and dumps (default: /run/vipkeeper). A second daemon on this host, in another"
            + " network namespace, needs its own; give the commands the same one.")
    Path runDir;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "The pid file, if not vipkeeper.pid in the run"
            + " directory; alone, its directory is the run directory (as before --run-dir).")
    Path pidFile;

    /** The daemon's files as the options name them. */
    RunFiles files() {
        if (runDir != null) {
            RunFiles in = RunFiles.in(runDir);
            return pidFile == null ? in : new RunFiles(in.dir(), pidFile);
        }
        return pidFile == null ? RunFiles.DEFAULT : RunFiles.forPidFile(pidFile);
    }

    /** Whether either option was given (a command may then insist on the socket instead of the config). */
    boolean given() {
        return runDir != null || pidFile != null;
    }
}
