package io.vipkeeper.vrrp.linux;

/** A libc call failed: which call and the errno, with its name and text. */
public class SyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    /** {@code call} failed with {@code errno}. */
    public SyscallException(String call, int errno) {
        super(call + ": " + Errno.name(errno) + " (" + describe(errno) + ")");
        this.errno = errno;
    }

    private static String describe(int errno) {
        try {
            return Native.LIBC.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            return "?";
        }
    }

    /** The errno value. */
    public int errno() {
        return errno;
    }

    /** Whether the errno is {@code e}. */
    public boolean is(Errno e) {
        return errno == e.number();
    }
}
