package io.vipkeeper.appliance.nftables;

import java.util.function.Supplier;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Variable;

/**
 * Runs a libnftables call with the C library's {@code stderr} stream pointed at /dev/null. nft
 * 1.0.6 prints no JSON for a map update statement (the persistence record rule) and writes
 * "warning: stmt ops map have no json callback" to C's stderr instead, once per such rule on each
 * JSON listing, which in the daemon would land in the journal every few runs. Only C stdio's
 * {@code stderr} pointer is swapped: the JVM (and its logging) writes file descriptor 2 directly
 * and is not affected. Where libc cannot be bound the call runs as it is.
 */
final class QuietStderr {
    /** The part of libc this needs. */
    public interface LibC {
        /** {@code FILE *stderr}, as an address (jnr 2.2 generates broken code for a Pointer variable). */
        Variable<Long> stderr();

        Pointer fopen(String path, String mode);
    }

    private static final Object LOCK = new Object();
    private static LibC libc;
    private static long devNull;
    private static boolean unavailable;

    private QuietStderr() {
    }

    /** {@code call}'s result, with whatever it writes to C's stderr dropped. */
    static <T> T during(Supplier<T> call) {
        synchronized (LOCK) {
            Variable<Long> stderr = stderr();
            if (stderr == null) {
                return call.get();
            }
            Long saved = stderr.get();
            stderr.set(devNull);
            try {
                return call.get();
            } finally {
                stderr.set(saved);
            }
        }
    }

    private static Variable<Long> stderr() {
        if (unavailable) {
            return null;
        }
        try {
            if (libc == null) {
                // The versioned name: libc.so itself is a linker script on Debian, which dlopen refuses.
                LibC c = LibraryLoader.create(LibC.class).search("/lib/x86_64-linux-gnu").search("/usr/lib/x86_64-linux-gnu")
                        .search("/usr/lib64").search("/lib64").load("libc.so.6");
                Pointer f = c.fopen("/dev/null", "w");
                if (f == null) {
                    unavailable = true;
                    return null;
                }
                libc = c;
                devNull = f.address();
            }
            return libc.stderr();
        } catch (RuntimeException | LinkageError e) {
            unavailable = true;
            return null;
        }
    }
}
