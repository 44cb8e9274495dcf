package io.vipkeeper.vrrp.linux;

import static io.vipkeeper.vrrp.linux.LinuxConstants.*;

import java.net.InetAddress;
import java.net.UnknownHostException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * recvmsg for a raw IPv6 socket: the kernel strips the IPv6 header, so the hop limit and the
 * destination come from IPV6_HOPLIMIT / IPV6_PKTINFO control messages. Not thread-safe: used
 * from the socket's event loop only. Layouts are x86_64 (struct msghdr 56 bytes, cmsghdr 16).
 */
final class Ipv6Receiver {
    private static final int BUFFER = 65_536;
    private static final int CONTROL = 256;
    private final int fd;
    private final ReceiveTimestamp timestamp;
    private final Pointer data = Memory.allocateDirect(Native.RUNTIME, BUFFER);
    private final Pointer name = Memory.allocateDirect(Native.RUNTIME, 28);
    private final Pointer control = Memory.allocateDirect(Native.RUNTIME, CONTROL);
    private final Pointer iov = Memory.allocateDirect(Native.RUNTIME, 16);
    private final Pointer msg = Memory.allocateDirect(Native.RUNTIME, 56);

    Ipv6Receiver(int fd, ReceiveTimestamp timestamp) {
        this.fd = fd;
        this.timestamp = timestamp;
        iov.putAddress(0, data.address());
        iov.putLong(8, BUFFER);
    }

    /** One datagram, or a {@link SyscallException} (EAGAIN when none is pending). */
    RawPacket receive() {
        msg.putAddress(0, name.address());
        msg.putInt(8, 28);
        msg.putAddress(16, iov.address());
        msg.putLong(24, 1);
        msg.putAddress(32, control.address());
        msg.putLong(40, CONTROL);
        msg.putInt(48, 0);
        int n = (int) Native.check(Native.LIBC.recvmsg(fd, msg, MSG_DONTWAIT), "recvmsg");
        long ageNanos = timestamp.ageNanos();
        byte[] payload = new byte[n];
        data.get(0, payload, 0, n);
        byte[] src = new byte[16];
        name.get(8, src, 0, 16);
        int hopLimit = -1;
        byte[] dst = new byte[16];
        long controlLength = msg.getLong(40);
        long off = 0;
        while (off + 16 <= controlLength) {
            long len = control.getLong(off);
            int level = control.getInt(off + 8);
            int type = control.getInt(off + 12);
            if (len < 16 || off + len > controlLength) {
                break;
            }
            if (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT && len >= 20) {
                hopLimit = control.getInt(off + 16);
            } else if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && len >= 32) {
                control.get(off + 16, dst, 0, 16);
            }
            off += (len + 7) & ~7L;
        }
        try {
            return new RawPacket(InetAddress.getByAddress(src), InetAddress.getByAddress(dst), hopLimit, new byte[0],
                    payload, ageNanos);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

}
