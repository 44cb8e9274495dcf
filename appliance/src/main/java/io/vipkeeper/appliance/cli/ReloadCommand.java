package io.vipkeeper.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipkeeper.appliance.daemon.PidFile;
import io.vipkeeper.appliance.daemon.ReloadResultFile;
import io.vipkeeper.appliance.daemon.RunFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import jnr.posix.POSIXFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipkeeper reload}: asks the running daemon over its control socket ({@code POST /reload},
 * root or {@code api.control-group}) to re-read its config and reports its verdict: the changes in
 * words, or every problem as FILE:LINE while the previous config stays in force (exit 1). Neither
 * the config nor the pid file is read. A daemon without the socket (an older one) gets SIGHUP by
 * its pid file, as systemctl reload sends, and the verdict is read from its reload result file.
 */
@Command(name = "reload", description = {"Make the running daemon re-read its config; report the result "
        + "(exit 1 if the file has problems: the daemon keeps the previous config).",
        "Over the control socket in the run directory (root or api.control-group); a daemon without one gets SIGHUP."
                + " Reloads run one at a time: one asked for while another runs waits for it, then reloads again."})
public final class ReloadCommand implements Callable<Integer> {
    private static final int SIGHUP = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    DaemonOptions daemon;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the verdict "
            + "(default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        RunFiles files = daemon.files();
        return Files.exists(files.socket()) ? overSocket(files.socket()) : bySignal(files);
    }

    private int overSocket(Path socket) throws InterruptedException {
        LocalHttp.Response r;
        try {
            r = LocalHttp.post(socket, "/reload", Duration.ofSeconds(timeoutSeconds));
        } catch (IOException e) {
            return fail("cannot reach the daemon at " + socket + ": " + e.getMessage() + " (is vipkeeper running?)");
        }
        JsonNode a;
        try {
            a = JSON.readTree(r.body());
        } catch (IOException e) {
            return fail(socket + " answered " + r.status() + ": " + r.body().strip());
        }
        if (a.has("error")) {
            return fail(a.path("error").asText());
        }
        List<String> problems = new ArrayList<>();
        a.path("problems").forEach(p -> problems.add(p.asText()));
        return report(a.path("ok").asBoolean(), a.path("summary").asText(), problems);
    }

    private int bySignal(RunFiles files) throws InterruptedException {
        long pid;
        try {
            // Only a daemon that holds the pid file: a stale file's pid may belong to anything now.
            pid = PidFile.daemon(files.pidFile());
        } catch (IllegalStateException e) {
            return fail(e.getMessage() + " and no control socket at " + files.socket());
        }
        Path resultFile = files.reloadResult();
        long before = ReloadResultFile.read(resultFile).map(ReloadResultFile.Entry::sequence).orElse(-1L);
        if (POSIXFactory.getNativePOSIX().kill(pid, SIGHUP) != 0) {
            return fail("cannot signal pid " + pid);
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<ReloadResultFile.Entry> e = ReloadResultFile.read(resultFile).filter(r -> r.sequence() > before);
            if (e.isPresent()) {
                return report(e.get().ok(), e.get().summary(), e.get().problems());
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(20);
            } else {
                return fail("the daemon (pid " + pid + ") exited");
            }
        }
        return fail("signalled pid " + pid + " but no result in " + resultFile + " after " + timeoutSeconds + " s");
    }

    private int report(boolean ok, String summary, List<String> problems) {
        if (ok) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("reloaded: " + summary);
            out.flush();
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        problems.forEach(err::println);
        err.println("reload failed: " + summary);
        err.flush();
        return ExitCodes.FAILED;
    }

    private int fail(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("vipkeeper reload: " + message);
        err.flush();
        return ExitCodes.FAILED;
    }
}
