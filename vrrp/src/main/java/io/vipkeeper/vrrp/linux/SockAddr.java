package io.vipkeeper.vrrp.linux;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Packs the socket structs libc takes: host-order fields little-endian, ports and addresses big. */
public final class SockAddr {
    private SockAddr() {
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code struct sockaddr_in} (16 bytes), port 0 (raw sockets ignore it). */
    public static byte[] in4(Inet4Address a) {
        ByteBuffer b = le(16);
        b.putShort((short) LinuxConstants.AF_INET);
        b.putShort((short) 0);
        b.put(a.getAddress());
        return b.array();
    }

    /** {@code struct sockaddr_in6} (28 bytes) with a scope id (ifindex for link-local/multicast). */
    public static byte[] in6(Inet6Address a, int scopeId) {
        ByteBuffer b = le(28);
        b.putShort((short) LinuxConstants.AF_INET6);
        b.putShort((short) 0);
        b.putInt(0);
        b.put(a.getAddress());
        b.putInt(scopeId);
        return b.array();
    }

    /** A sockaddr for {@code a} of its family. */
    public static byte[] of(InetAddress a, int scopeId) {
        return a instanceof Inet4Address v4 ? in4(v4) : in6((Inet6Address) a, scopeId);
    }

    /** Longest {@code sockaddr_un.sun_path} (with its NUL for a path). */
    public static final int UNIX_PATH_MAX = 108;

    /**
     * {@code struct sockaddr_un} for a path, or for an abstract name when {@code name} starts with
     * '@' (as systemd writes them), cut to the length to pass as addrlen: an abstract name is
     * exactly its bytes, a path includes its terminating NUL.
     */
    public static byte[] unix(String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= UNIX_PATH_MAX) {
            throw new IllegalArgumentException("not a unix socket name of 1.." + (UNIX_PATH_MAX - 1) + " bytes: " + name);
        }
        boolean abstractName = bytes[0] == '@';
        ByteBuffer b = le(2 + bytes.length + (abstractName ? 0 : 1));
        b.putShort((short) LinuxConstants.AF_UNIX);
        b.put(bytes);
        if (abstractName) {
            b.put(2, (byte) 0);
        }
        return b.array();
    }

    /** {@code struct sockaddr_nl} (12 bytes). */
    public static byte[] netlink(int pid, int groups) {
        ByteBuffer b = le(12);
        b.putShort((short) LinuxConstants.AF_NETLINK);
        b.putShort((short) 0);
        b.putInt(pid);
        b.putInt(groups);
        return b.array();
    }

    /** {@code struct sockaddr_ll} (20 bytes) for sending on {@code ifindex} to {@code mac}. */
    public static byte[] packet(int protocol, int ifindex, byte[] mac) {
        ByteBuffer b = le(20);
        b.putShort((short) LinuxConstants.AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) protocol).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ifindex);
        b.putShort((short) 1);
        b.put((byte) 0);
        b.put((byte) mac.length);
        b.put(mac);
        return b.array();
    }

    /** {@code struct ip_mreqn} (12 bytes): group, any local address, ifindex. */
    public static byte[] ipMreqn(Inet4Address group, int ifindex) {
        ByteBuffer b = le(12);
        b.put(group.getAddress());
        b.putInt(0);
        b.putInt(ifindex);
        return b.array();
    }

    /** {@code struct ipv6_mreq} (20 bytes). */
    public static byte[] ipv6Mreq(Inet6Address group, int ifindex) {
        ByteBuffer b = le(20);
        b.put(group.getAddress());
        b.putInt(ifindex);
        return b.array();
    }

    /** A native int (setsockopt values). */
    public static byte[] intValue(int v) {
        return le(4).putInt(v).array();
    }

    /** {@code struct timeval} (16 bytes). */
    public static byte[] timeval(long millis) {
        ByteBuffer b = le(16);
        b.putLong(millis / 1000);
        b.putLong((millis % 1000) * 1000);
        return b.array();
    }
}
