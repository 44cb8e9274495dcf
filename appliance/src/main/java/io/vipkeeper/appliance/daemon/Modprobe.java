package io.vipkeeper.appliance.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Loads a kernel module with the system's modprobe, as an operator would. */
final class Modprobe {
    private Modprobe() {
    }

    /** Runs {@code modprobe ip_vs}; returns "ok" or why it failed (its error output). */
    static String ipvs() {
        return run("modprobe", "ip_vs");
    }

    /**
     * Asks {@code modprobe -n ip_vs} whether the module could be loaded, loading nothing; "ok" or
     * why not. A check must not change the kernel.
     */
    static String ipvsDryRun() {
        return run("modprobe", "-n", "ip_vs");
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no answer in 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? "ok" : out.isEmpty() ? "exit status " + p.exitValue() : out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
