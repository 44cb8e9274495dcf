package io.vipkeeper.appliance.daemon;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.Native;
import io.vipkeeper.vrrp.linux.SockAddr;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd about the daemon's state (sd_notify(3): READY=1, RELOADING=1, STOPPING=1) for a
 * Type=notify unit: one datagram to the AF_UNIX socket in {@code $NOTIFY_SOCKET}, a path or, with a
 * leading '@', an abstract name. Without that variable (not started by systemd) it does nothing.
 * The JDK cannot send unix datagrams, hence libc; a failure is logged, never thrown.
 */
final class SystemdNotify {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);

    /** The socket's sockaddr_un, exactly addrlen long; null: do nothing. */
    private final byte[] address;

    private SystemdNotify(byte[] address) {
        this.address = address;
    }

    /** The notifier for this process's environment; a no-op one without a usable NOTIFY_SOCKET. */
    static SystemdNotify fromEnvironment() {
        return forSocket(System.getenv("NOTIFY_SOCKET"));
    }

    static SystemdNotify forSocket(String socket) {
        if (socket == null || socket.isEmpty()) {
            return new SystemdNotify(null);
        }
        if (!(socket.startsWith("/") || socket.startsWith("@"))) {
            log.warn("NOTIFY_SOCKET={} is not a socket path or abstract name; not notifying systemd", socket);
            return new SystemdNotify(null);
        }
        try {
            return new SystemdNotify(SockAddr.unix(socket));
        } catch (IllegalArgumentException e) {
            log.warn("NOTIFY_SOCKET: {}; not notifying systemd", e.getMessage());
            return new SystemdNotify(null);
        }
    }

    /** Sends {@code state} (newline-separated assignments); false when not sent. */
    boolean notify(String state) {
        if (address == null) {
            return false;
        }
        int fd = Native.LIBC.socket(LinuxConstants.AF_UNIX, LinuxConstants.SOCK_DGRAM | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            log.warn("cannot notify systemd ({}): socket: errno {}", state, Native.errno());
            return false;
        }
        try {
            byte[] message = state.getBytes(StandardCharsets.UTF_8);
            if (Native.LIBC.sendto(fd, message, message.length, 0, address, address.length) < 0) {
                log.warn("cannot notify systemd ({}): sendto: errno {}", state, Native.errno());
                return false;
            }
            return true;
        } finally {
            Native.LIBC.close(fd);
        }
    }
}
