package io.vipkeeper.vrrp.linux.netlink;

import io.vipkeeper.vrrp.linux.Errno;

/** The kernel answered a netlink request with an error (NLMSG_ERROR, negative errno). */
public class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    /** {@code request} failed with {@code errno} (positive). */
    public NetlinkException(String request, int errno) {
        super(request + ": " + Errno.name(errno));
        this.errno = errno;
    }

    /** The errno (positive). */
    public int errno() {
        return errno;
    }

    /** Whether the errno is {@code e}. */
    public boolean is(Errno e) {
        return errno == e.number();
    }
}
