package io.vipkeeper.vrrp.linux;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** The loaded libc and errno access; loading happens once, on first use. */
public final class Native {
    /** libc bound through jnr-ffi. */
    public static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    /** The jnr runtime, for errno and native memory. */
    public static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {
    }

    /** errno of the calling thread's last failed call. */
    public static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** Throws {@link SyscallException} with errno if {@code result} is negative. */
    public static long check(long result, String call) {
        if (result < 0) {
            throw new SyscallException(call, errno());
        }
        return result;
    }
}
