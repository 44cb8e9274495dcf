package io.vipkeeper.appliance.daemon;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;

/**
 * The five libc calls the pid file makes, bound through jnr-ffi on first use. jnr-posix did the
 * same with its whole POSIX interface: about 430 classes, 0.2-0.3 s of every daemon start on a
 * busy 2-core host, for open, flock, ftruncate, pwrite and close. Public only because jnr-ffi
 * implements it in a class loader of its own.
 */
public interface PidLibc {
    /** libc, bound on first use. */
    final class Holder {
        static final PidLibc LIBC = LibraryLoader.create(PidLibc.class).load("c");
        private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

        /** errno of the calling thread's last failed call. */
        static int errno() {
            return jnr.ffi.LastError.getLastError(RUNTIME);
        }

        private Holder() {
        }
    }

    int open(String path, int flags, int mode);

    int flock(int fd, int operation);

    int ftruncate(int fd, long length);

    long pwrite(int fd, @In byte[] buf, long count, long offset);

    int close(int fd);
}
