package io.vipkeeper.appliance.it;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.Native;
import io.vipkeeper.vrrp.linux.SockAddr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What systemd listens on for a Type=notify unit: an AF_UNIX datagram socket at a path. */
final class NotifySocket implements AutoCloseable {
    private final Path path;
    private final int fd;

    NotifySocket(Path path) throws Exception {
        this.path = path;
        Files.deleteIfExists(path);
        fd = (int) Native.check(Native.LIBC.socket(LinuxConstants.AF_UNIX,
                LinuxConstants.SOCK_DGRAM | LinuxConstants.SOCK_CLOEXEC, 0), "socket");
        byte[] sockaddr = SockAddr.unix(path.toString());
        Native.check(Native.LIBC.bind(fd, sockaddr, sockaddr.length), "bind");
        byte[] timeout = SockAddr.timeval(1000);
        Native.check(Native.LIBC.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVTIMEO, timeout,
                timeout.length), "setsockopt");
    }

    Path path() {
        return path;
    }

    /** The next message, waiting up to {@code seconds}; null if none came. */
    String next(int seconds) {
        byte[] buf = new byte[4096];
        for (int i = 0; i < seconds; i++) {
            long n = Native.LIBC.recvfrom(fd, buf, buf.length, 0, null, null);
            if (n >= 0) {
                return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        Native.LIBC.close(fd);
        Files.deleteIfExists(path);
    }
}
