package io.vipkeeper.vrrp.linux.netlink;

/** A netlink message or attribute whose lengths do not add up: the reply is not trusted. */
public class NetlinkFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With what was wrong. */
    public NetlinkFormatException(String message) {
        super(message);
    }
}
