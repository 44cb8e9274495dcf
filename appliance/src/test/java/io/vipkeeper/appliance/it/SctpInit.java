package io.vipkeeper.appliance.it;

import static io.vipkeeper.vrrp.linux.LinuxConstants.AF_INET;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SOCK_RAW;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SOL_SOCKET;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SO_RCVTIMEO;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.vrrp.linux.Native;
import io.vipkeeper.vrrp.linux.SockAddr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import jnr.ffi.byref.IntByReference;

/**
 * SCTP INIT chunks through raw IPv4 sockets (RFC 9260 3 and 3.3.2). The host kernel has no SCTP
 * sockets (no /proc/net/sctp, no modprobe here), but netfilter tracks and NATs SCTP without them,
 * so an INIT made by hand and caught by a raw socket on the far side shows where a balancer sends
 * a new association and that its rewrite kept the CRC32c valid.
 */
final class SctpInit implements AutoCloseable {
    private static final int IPPROTO_SCTP = 132;
    private final int fd;

    private SctpInit(int fd) {
        this.fd = fd;
    }

    /** A raw SCTP socket in {@code ns} that gives up a receive after 3 s. */
    static SctpInit open(String ns) throws Exception {
        int fd = NamespaceThreads.call(ns, () -> (int) Native.check(Native.LIBC.socket(AF_INET, SOCK_RAW, IPPROTO_SCTP),
                "socket sctp"));
        byte[] timeval = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(0).array();
        Native.check(Native.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, timeval.length), "SO_RCVTIMEO");
        return new SctpInit(fd);
    }

    /** Sends an INIT from {@code sourcePort} to {@code to}. */
    void send(int sourcePort, InetSocketAddress to) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putShort((short) sourcePort).putShort((short) to.getPort()).putInt(0).putInt(0); // verification tag 0 in an INIT
        b.put((byte) 1).put((byte) 0).putShort((short) 20); // INIT, no flags, chunk length
        b.putInt(0x1234_5678 + sourcePort).putInt(65535).putShort((short) 1).putShort((short) 1).putInt(1);
        byte[] packet = b.array();
        ByteBuffer.wrap(packet, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc(packet, 0, packet.length));
        byte[] dest = SockAddr.in4((Inet4Address) to.getAddress());
        Native.check(Native.LIBC.sendto(fd, packet, packet.length, 0, dest, dest.length), "sendto sctp");
    }

    /**
     * The destination address and port of the next SCTP packet this socket gets, or null when none
     * comes in 3 s; throws when its checksum does not hold.
     */
    InetSocketAddress receive() throws Exception {
        byte[] buf = new byte[2048];
        byte[] from = new byte[16];
        long n = Native.LIBC.recvfrom(fd, buf, buf.length, 0, from, new IntByReference(from.length));
        if (n <= 0) {
            return null;
        }
        int header = (buf[0] & 0x0f) * 4;
        long stored = ByteBuffer.wrap(buf, header + 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        byte[] sctp = java.util.Arrays.copyOfRange(buf, header, (int) n);
        java.util.Arrays.fill(sctp, 8, 12, (byte) 0);
        if (crc(sctp, 0, sctp.length) != stored) {
            throw new AssertionError("the SCTP checksum no longer holds after the balancer's rewrite");
        }
        byte[] to = java.util.Arrays.copyOfRange(buf, 16, 20);
        int port = ((buf[header + 2] & 0xff) << 8) | (buf[header + 3] & 0xff);
        return new InetSocketAddress(InetAddress.getByAddress(to), port);
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
