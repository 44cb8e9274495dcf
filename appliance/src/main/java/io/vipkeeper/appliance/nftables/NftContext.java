package io.vipkeeper.appliance.nftables;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * One libnftables context: runs nft scripts in the calling thread's network namespace without a
 * process per change. Each {@link #run} is one atomic transaction, as {@code nft -f} is: all of the
 * script or nothing. Not thread-safe; confine it to one thread and close it there.
 */
public final class NftContext implements AutoCloseable {
    /** Loaded once; the runtime package only ships the versioned name (no libnftables.so link). */
    private static volatile LibNftables lib;
    private Pointer ctx;

    /** A context with output and errors buffered (never printed to the process's stdout/stderr). */
    public NftContext() {
        ctx = open();
    }

    /** A new libnftables context with output and errors buffered; the caller frees it. */
    private static Pointer open() {
        LibNftables l = library();
        Pointer c;
        try {
            c = l.nft_ctx_new(0);
        } catch (LinkageError e) {
            // jnr-ffi may hand out a binding whose first call fails (a broken or empty library file).
            throw unusable(e);
        }
        if (c == null) {
            throw new NftException("nft_ctx_new failed");
        }
        l.nft_ctx_buffer_output(c);
        l.nft_ctx_buffer_error(c);
        return c;
    }

    private static NftException unusable(LinkageError e) {
        // jnr's message goes on for lines of search paths; its first line names the problem.
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        return new NftException("cannot use libnftables.so.1 (Debian: apt install libnftables1): " + first);
    }

    private static LibNftables library() {
        LibNftables l = lib;
        if (l == null) {
            try {
                l = LibraryLoader.create(LibNftables.class).search("/usr/lib/x86_64-linux-gnu").search("/usr/lib64")
                        .search("/usr/lib").load("libnftables.so.1");
            } catch (LinkageError e) {
                // An Error from jnr-ffi: turned into the engine's own failure, which callers log and retry.
                throw unusable(e);
            }
            lib = l;
        }
        return l;
    }

    /** Runs {@code script} as one transaction; returns nft's text output. */
    public String run(String script) {
        return exec(script, 0);
    }

    /**
     * Runs {@code command} (a list command) and returns its output as JSON text. It runs in a
     * context of its own, freed at once: a context keeps what it listed as its cache, and the next
     * transaction in it first let go of that whole cache (every set element of the table), which made
     * one weight change at 100 x 100 cost 75-110 ms after a read where it costs 7-10 ms in a context
     * that had listed nothing (see appliance/DESIGN.md, "nftables: reads in a context of their own").
     */
    public String json(String command) {
        if (ctx == null) {
            throw new IllegalStateException("nft context closed");
        }
        Pointer reader = open();
        try {
            // nft 1.0.6 warns on C's stderr about statements it has no JSON for (QuietStderr says which).
            return QuietStderr.during(() -> exec(reader, command, LibNftables.OUTPUT_JSON));
        } finally {
            library().nft_ctx_free(reader);
        }
    }

    private String exec(String script, int outputFlags) {
        if (ctx == null) {
            throw new IllegalStateException("nft context closed");
        }
        return exec(ctx, script, outputFlags);
    }

    private static String exec(Pointer c, String script, int outputFlags) {
        LibNftables l = library();
        // Input is parsed as JSON first when the JSON output flag is set, so scripts run without it.
        l.nft_ctx_output_set_flags(c, outputFlags);
        int rc = l.nft_run_cmd_from_buffer(c, script);
        String out = nullToEmpty(l.nft_ctx_get_output_buffer(c));
        String err = nullToEmpty(l.nft_ctx_get_error_buffer(c));
        if (rc != 0) {
            throw new NftException(err.isBlank() ? "nft refused the script (rc " + rc + ")" : err.strip());
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void close() {
        if (ctx != null) {
            library().nft_ctx_free(ctx);
            ctx = null;
        }
    }
}
