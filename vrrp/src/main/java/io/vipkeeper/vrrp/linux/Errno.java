package io.vipkeeper.vrrp.linux;

import java.util.Optional;

/**
 * The errno values vipkeeper reacts to or reports by name (asm-generic/errno-base.h, errno.h on
 * x86_64). Append-only.
 */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12),
    EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), EINVAL(22), ENFILE(23), EMFILE(24), ENOSPC(28),
    ERANGE(34), ENOPROTOOPT(92), EPROTONOSUPPORT(93), EOPNOTSUPP(95), EAFNOSUPPORT(97), EADDRINUSE(98),
    EADDRNOTAVAIL(99), ENETDOWN(100), ENETUNREACH(101), ENOBUFS(105), ETIMEDOUT(110), EHOSTUNREACH(113);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The errno value. */
    public int number() {
        return number;
    }

    /** The name for {@code number}, if it is one of these. */
    public static Optional<Errno> valueOf(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** "EEXIST" or "errno 123". */
    public static String name(int number) {
        return valueOf(number).map(Enum::name).orElse("errno " + number);
    }
}
