package io.vipkeeper.appliance.daemon;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.Native;
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
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    /** sizeof(sockaddr_un.sun_path). */
    private static final int SUN_PATH = 108;

    private final byte[] address;
    private final int addressLength;

    private SystemdNotify(byte[] address, int addressLength) {
        this.address = address;
        this.addressLength = addressLength;
    }

    /** The notifier for this process's environment; a no-op one without a usable NOTIFY_SOCKET. */
    static SystemdNotify fromEnvironment() {
        return forSocket(System.getenv("NOTIFY_SOCKET"));
    }

    static SystemdNotify forSocket(String socket) {
        if (socket == null || socket.isEmpty()) {
            return new SystemdNotify(null, 0);
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH || !(path[0] == '/' || path[0] == '@')) {
            log.warn("NOTIFY_SOCKET={} is not a socket path or abstract name; not notifying systemd", socket);
            return new SystemdNotify(null, 0);
        }
        byte[] sockaddr = new byte[2 + SUN_PATH];
        sockaddr[0] = AF_UNIX; // sa_family_t, little-endian
        System.arraycopy(path, 0, sockaddr, 2, path.length);
        boolean abstractName = path[0] == '@';
        if (abstractName) {
            sockaddr[2] = 0;
        }
        // An abstract name is exactly its bytes; a path includes its terminating NUL.
        return new SystemdNotify(sockaddr, 2 + path.length + (abstractName ? 0 : 1));
    }

    /** Sends {@code state} (newline-separated assignments); false when not sent. */
    boolean notify(String state) {
        if (address == null) {
            return false;
        }
        int fd = Native.LIBC.socket(AF_UNIX, SOCK_DGRAM | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            log.warn("cannot notify systemd ({}): socket: errno {}", state, Native.errno());
            return false;
        }
        try {
            byte[] message = state.getBytes(StandardCharsets.UTF_8);
            if (Native.LIBC.sendto(fd, message, message.length, 0, address, addressLength) < 0) {
                log.warn("cannot notify systemd ({}): sendto: errno {}", state, Native.errno());
                return false;
            }
            return true;
        } finally {
            Native.LIBC.close(fd);
        }
    }
}
