package io.vipkeeper.appliance.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test and returns its output; a non-zero exit fails the test with the output. */
public final class Shell {
    private Shell() {
    }

    /** Runs {@code cmd}; stdout and stderr together. */
    public static String run(String... cmd) {
        Result r = tryRun(cmd);
        if (r.code() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.code() + ":\n" + r.output());
        }
        return r.output();
    }

    /** Runs {@code sh -c script}. */
    public static String sh(String script) {
        return run("sh", "-c", script);
    }

    /** Exit code and output. */
    public record Result(int code, String output) {
    }

    /** Runs {@code cmd} (at most 5 minutes), whatever its exit code. */
    public static Result tryRun(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
