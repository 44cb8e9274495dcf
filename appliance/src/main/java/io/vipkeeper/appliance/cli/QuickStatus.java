package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.daemon.RunFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The short way through {@code vipkeeper status} (and {@code status --json}, with at most
 * {@code --run-dir DIR}): straight to the control socket, before the command-line model and the
 * logging are set up (that set-up, not the daemon, was most of the command's 0.4 s), asking for
 * the table the daemon renders itself ({@code Accept: text/plain}), so nothing is parsed here
 * either. Whatever it does not expect — another option, no socket, an answer other than 200, a
 * daemon that answers JSON only (an older one) — it leaves to {@link StatusCommand}, the whole
 * way, which says what is wrong; so it never prints an error of its own.
 */
final class QuickStatus {
    /** What {@link #run} answers when the command goes the whole way. */
    static final int NOT_TAKEN = -1;
    /** How long to wait for the daemon (the whole way waits as long). */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private QuickStatus() {
    }

    /** Prints the status to {@code out} and answers the exit status, or {@link #NOT_TAKEN}. */
    static int run(String[] args, PrintStream out) {
        if (args.length == 0 || !args[0].equals("status")) {
            return NOT_TAKEN;
        }
        boolean json = false;
        Path runDir = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json") && !json) {
                json = true;
            } else if (a.equals("--run-dir") && runDir == null && i + 1 < args.length && !args[i + 1].isEmpty()) {
                runDir = Path.of(args[++i]);
            } else if (a.startsWith("--run-dir=") && runDir == null && a.length() > "--run-dir=".length()) {
                runDir = Path.of(a.substring("--run-dir=".length()));
            } else {
                return NOT_TAKEN;
            }
        }
        // As the whole way: a named run directory means its socket; else the default one, if there.
        Path socket = (runDir == null ? RunFiles.DEFAULT : RunFiles.in(runDir)).socket();
        if (runDir == null && !Files.exists(socket)) {
            return NOT_TAKEN;
        }
        String wanted = json ? "application/json" : "text/plain";
        LocalHttp.Response r;
        try {
            r = LocalHttp.get(socket, "/status", wanted, TIMEOUT);
        } catch (IOException | RuntimeException e) {
            return NOT_TAKEN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NOT_TAKEN;
        }
        if (r.status() != 200 || !r.contentType().startsWith(wanted)) {
            return NOT_TAKEN;
        }
        out.print(r.body());
        out.flush();
        return ExitCodes.OK; // as the whole way, whose writer does not report a closed pipe either
    }
}
