package io.vipkeeper.appliance.pool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code nft} program (nftables' own parser and transactions beat hand-built netlink). */
public final class Nft {
    private final String program;

    /** Uses {@code program} (normally "nft", from PATH). */
    public Nft(String program) {
        this.program = program;
    }

    /** Applies {@code script} in one transaction ({@code nft -f -}). */
    public void apply(String script) {
        run(script, "-f", "-");
    }

    /** {@code nft list table TABLE}, or "" when the table does not exist. */
    public String list(String table) {
        try {
            return run("", "list", "table", table.split(" ")[0], table.split(" ")[1]);
        } catch (NftException e) {
            if (e.getMessage().contains("No such file or directory")) {
                return "";
            }
            throw e;
        }
    }

    private String run(String stdin, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(program));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NftException(String.join(" ", cmd) + " did not finish within 10 s");
            }
            if (p.exitValue() != 0) {
                throw new NftException(String.join(" ", cmd) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new NftException("cannot run " + program + " (is nftables installed?): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while running " + program);
        }
    }

    /** nft refused or could not run. */
    public static final class NftException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NftException(String message) {
            super(message);
        }
    }
}
