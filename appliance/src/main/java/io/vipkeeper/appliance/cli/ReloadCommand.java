package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.daemon.PidFile;
import io.vipkeeper.appliance.daemon.ReloadResultFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import jnr.posix.POSIXFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipkeeper reload}: sends SIGHUP to the daemon that holds the pid file (what systemctl
 * reload does too) and reports its verdict: the changes applied, or every problem with file:line
 * while the previous config stays in force (exit 1).
 */
@Command(name = "reload", description = "Make the running daemon re-read its config; report the result "
        + "(exit 1 if the file has problems: the daemon keeps the previous config).")
public final class ReloadCommand implements Callable<Integer> {
    private static final int SIGHUP = 1;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "The daemon's pid file (default: ${DEFAULT-VALUE}).")
    Path pidFile = PidFile.DEFAULT;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the verdict "
            + "(default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long pid;
        try {
            // Only a daemon that holds the pid file: a stale file's pid may belong to anything now.
            pid = PidFile.daemon(pidFile);
        } catch (IllegalStateException e) {
            err.println("vipkeeper reload: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        Path resultFile = ReloadResultFile.beside(pidFile);
        long before = ReloadResultFile.read(resultFile).map(ReloadResultFile.Entry::sequence).orElse(-1L);
        if (POSIXFactory.getNativePOSIX().kill(pid, SIGHUP) != 0) {
            err.println("vipkeeper reload: cannot signal pid " + pid);
            return ExitCodes.FAILED;
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<ReloadResultFile.Entry> e = ReloadResultFile.read(resultFile).filter(r -> r.sequence() > before);
            if (e.isPresent()) {
                return report(e.get(), out, err);
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(20);
            } else {
                err.println("vipkeeper reload: the daemon (pid " + pid + ") exited");
                return ExitCodes.FAILED;
            }
        }
        err.println("vipkeeper reload: signalled pid " + pid + " but no result in " + resultFile + " after "
                + timeoutSeconds + " s");
        return ExitCodes.FAILED;
    }

    private static int report(ReloadResultFile.Entry e, PrintWriter out, PrintWriter err) {
        if (e.ok()) {
            out.println("reloaded: " + e.summary());
            out.flush();
            return ExitCodes.OK;
        }
        e.problems().forEach(err::println);
        err.println("reload failed: " + e.summary());
        err.flush();
        return ExitCodes.FAILED;
    }
}
