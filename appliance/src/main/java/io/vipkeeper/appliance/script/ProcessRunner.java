package io.vipkeeper.appliance.script;

import io.vipkeeper.appliance.config.Program;
import io.vipkeeper.appliance.config.ScriptSecurity;
import io.vipkeeper.appliance.config.ScriptUser;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operator programs (tracking scripts, notify programs, script checks) off the caller's
 * thread: only if the file is safe to run ({@link ScriptSecurity}, checked again before every
 * run), as the program's user, without a shell, in a clean environment, as the leader of a new
 * session, and with a timeout that kills every process the run started ({@link ProcessTree}).
 */
public final class ProcessRunner {
    /** How much of a script's output is kept for the log. */
    static final int OUTPUT_LIMIT = 2048;
    /** The whole environment a program gets, besides its {@link #RUN_VARIABLE}. */
    static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C");
    /** Names the run, so that the processes it leaves behind can be found at its timeout. */
    static final String RUN_VARIABLE = "VIPKEEPER_RUN";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final AtomicLong RUNS = new AtomicLong();
    /** The last refusal logged per program, so a script refused every second is logged once. */
    private static final Map<String, String> REFUSED = new ConcurrentHashMap<>();
    private static final Optional<String> SETSID = tool("setsid");
    private static final Optional<String> SETPRIV = tool("setpriv");

    private final Executor executor;

    /** Runs programs on {@code executor} (threads that may block on the child). */
    public ProcessRunner(Executor executor) {
        this.executor = executor;
    }

    /**
     * The result of one run.
     *
     * @param exitCode the exit code, or -1 if it did not run or timed out
     * @param timedOut whether the timeout killed it
     * @param error why it did not run (refused, could not start), or empty
     * @param output the start of its merged stdout/stderr
     */
    public record Result(int exitCode, boolean timedOut, String error, String output) {
        /** Whether it exited 0 in time. */
        public boolean ok() {
            return exitCode == 0 && !timedOut && error.isEmpty();
        }

        /** A short description for logs. */
        public String describe() {
            if (!error.isEmpty()) {
                return error;
            }
            return timedOut ? "timed out" : "exit " + exitCode;
        }

        static Result notRun(String why) {
            return new Result(-1, false, why, "");
        }
    }

    /** Starts {@code program} asynchronously. */
    public CompletableFuture<Result> run(Program program) {
        return CompletableFuture.supplyAsync(() -> runNow(program), executor);
    }

    /** Runs {@code program} on the calling thread. */
    public static Result runNow(Program program) {
        if (!Files.exists(Path.of(program.path()))) {
            return Result.notRun("could not run: " + program.path() + " does not exist");
        }
        Optional<String> unsafe = ScriptSecurity.problem(program.path());
        if (unsafe.isPresent()) {
            return refused(program.path(), unsafe.get());
        }
        REFUSED.remove(program.path());
        Subreaper reaper = Subreaper.get();
        String marker = RUN_VARIABLE + "=" + RUNS.incrementAndGet();
        ProcessBuilder pb = new ProcessBuilder(commandLine(program)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(ENVIRONMENT);
        pb.environment().put(RUN_VARIABLE, marker.substring(RUN_VARIABLE.length() + 1));
        Process p;
        try {
            p = reaper.start(pb);
        } catch (IOException | RuntimeException e) {
            return Result.notRun("could not run: " + e.getMessage());
        }
        OutputCollector out = new OutputCollector(p.getInputStream());
        out.start();
        try {
            if (!p.waitFor(program.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                stop(p, marker, program.user(), reaper);
                return new Result(-1, true, "", out.text());
            }
            out.join(1000);
            return new Result(p.exitValue(), false, "", out.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(p, marker, program.user(), reaper);
            return new Result(-1, false, "interrupted", out.text());
        }
    }

    /** Kills the run's processes, waits briefly for its own, and reaps what it left behind. */
    private static void stop(Process p, String marker, Optional<ScriptUser> user, Subreaper reaper) {
        // An interrupt (shutdown) must not cut the killing short: it is restored afterwards.
        boolean interrupted = Thread.interrupted();
        int killed = ProcessTree.kill(p, marker, user, reaper);
        LOG.debug("killed {} process(es) of {}", killed, marker);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        reaper.reap();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A refused run, logged when the reason is new for this program (it may be retried every second). */
    private static Result refused(String program, String why) {
        if (!why.equals(REFUSED.put(program, why))) {
            LOG.warn("refused to run {}: {}", program, why);
        }
        return Result.notRun("refused: " + why);
    }

    /** setsid, then setpriv if the program has a user, then the program. */
    static List<String> commandLine(Program program) {
        List<String> cmd = new ArrayList<>();
        // A session of its own: what the run leaves behind is never in the daemon's session (see Subreaper).
        SETSID.ifPresent(s -> cmd.addAll(List.of(s, "--wait")));
        program.user().ifPresent(u -> cmd.addAll(List.of(SETPRIV.orElse("setpriv"), "--reuid=" + u.uid(),
                "--regid=" + u.gid(), "--init-groups", "--")));
        cmd.addAll(program.command());
        return cmd;
    }

    private static Optional<String> tool(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        LoggerFactory.getLogger(ProcessRunner.class).warn("{} (util-linux) not found: scripts run without it", name);
        return Optional.empty();
    }

    /** Reads the child's output so a chatty script never blocks on a full pipe. */
    private static final class OutputCollector extends Thread {
        private final InputStream in;
        private final StringBuilder kept = new StringBuilder();

        OutputCollector(InputStream in) {
            super("script-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (kept) {
                        if (kept.length() < OUTPUT_LIMIT) {
                            kept.append(new String(buf, 0, Math.min(n, OUTPUT_LIMIT - kept.length()),
                                    StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // The child went away; what we have is what there is.
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString().strip();
            }
        }
    }
}
