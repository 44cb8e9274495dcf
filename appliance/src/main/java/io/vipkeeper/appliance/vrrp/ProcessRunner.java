package io.vipkeeper.appliance.vrrp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs operator programs (notify and tracking scripts) without a shell, off the VRRP loop, with a
 * timeout that kills the whole process tree.
 */
public final class ProcessRunner {
    /** How much of a script's output is kept for the log. */
    static final int OUTPUT_LIMIT = 2048;

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
     * @param error why it could not start, or empty
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
                return "could not run: " + error;
            }
            return timedOut ? "timed out" : "exit " + exitCode;
        }
    }

    /** Starts {@code command} asynchronously. */
    public CompletableFuture<Result> run(List<String> command, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> runNow(command, timeout), executor);
    }

    /** Runs {@code command} on the calling thread. */
    public static Result runNow(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException | RuntimeException e) {
            return new Result(-1, false, String.valueOf(e.getMessage()), "");
        }
        OutputCollector out = new OutputCollector(p.getInputStream());
        out.start();
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, true, "", out.text());
            }
            out.join(1000);
            return new Result(p.exitValue(), false, "", out.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(-1, false, "interrupted", out.text());
        }
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
