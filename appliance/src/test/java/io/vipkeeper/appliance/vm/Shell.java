package io.vipkeeper.appliance.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test and returns its output; a non-zero exit fails the test with the output. */
public final class Shell {
    private Shell() {
    }

    /** The checkout's root: the parent of vipkeeper.conf.dir, which the build sets to conf/. */
    public static Path repo() {
        return Path.of(System.getProperty("vipkeeper.conf.dir", "../conf")).toAbsolutePath().normalize().getParent();
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
        return tryRun(Map.of(), cmd);
    }

    /** Runs {@code cmd} (at most 5 minutes) with {@code env} added to this process's environment. */
    public static Result tryRun(Map<String, String> env, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
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

    /**
     * Runs {@code cmd} with stdout and stderr echoed line by line to this process's stdout as they
     * come (a long run in a VM shows its progress in the test log), until it exits.
     */
    public static Result stream(List<String> cmd, Path workingDir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(workingDir == null ? null : workingDir.toFile())
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
                output.append(line).append('\n');
            }
        } finally {
            p.destroy();
        }
        return new Result(p.waitFor(), output.toString());
    }
}
