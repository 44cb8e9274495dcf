package io.vipkeeper.appliance.bgp;

import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.Native;
import io.vipkeeper.vrrp.linux.SyscallException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A non-persistent tun device that carries the announced VIPs. Its only reference is this
 * process's file descriptor (TUNSETIFF without TUNSETPERSIST), so when the process ends in any way,
 * SIGKILL and a JVM crash included, the kernel deletes the device with its addresses and the
 * routing daemon, which redistributes them as connected routes, withdraws them. (A dummy interface
 * or a kernel route would outlive the process and keep a dead director announced.) No packet is
 * ever read from it: traffic for a VIP arrives on the director's other interfaces.
 */
public final class TunDevice implements AnnounceDevice {
    /** linux/if_tun.h: _IOW('T', 202, int). */
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    /** linux/sockios.h. */
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    private static final int O_RDWR = 02;
    /** No program the daemon runs may inherit the descriptor and keep the device alive after it. */
    private static final int O_CLOEXEC = 02000000;
    /** struct ifreq: 16 bytes of name, then a union of at most 24. */
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;
    private static final long ACK_TIMEOUT_MILLIS = 2000;

    private final String name;
    private final int fd;
    private final int ifindex;
    private final NetlinkSocket route;
    private final InterfaceAddresses addresses;

    private TunDevice(String name, int fd, int ifindex, NetlinkSocket route) {
        this.name = name;
        this.fd = fd;
        this.ifindex = ifindex;
        this.route = route;
        this.addresses = new InterfaceAddresses(route);
    }

    /**
     * Creates device {@code name}, up, with no address. Refused when an interface of that name
     * exists: a persistent one would be attached to and outlive this process.
     */
    public static TunDevice open(String name) {
        if (Native.LIBC.if_nametoindex(name) != 0) {
            throw new IllegalStateException("interface " + name + " exists already; bgp.device must name one that"
                    + " only this daemon creates (a persistent one would stay announced after the daemon died)");
        }
        int fd = (int) Native.check(Native.LIBC.open("/dev/net/tun", O_RDWR | O_CLOEXEC), "open /dev/net/tun");
        try {
            Pointer req = ifreq(name);
            req.putShort(IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI));
            Native.check(Native.LIBC.ioctl(fd, TUNSETIFF, req), "TUNSETIFF " + name);
            up(name);
            int index = Native.LIBC.if_nametoindex(name);
            if (index == 0) {
                throw new SyscallException("if_nametoindex " + name, Native.errno());
            }
            return new TunDevice(name, fd, index, NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, ACK_TIMEOUT_MILLIS));
        } catch (RuntimeException e) {
            Native.LIBC.close(fd);
            throw e;
        }
    }

    /** Sets IFF_UP the classic way (SIOCGIFFLAGS, SIOCSIFFLAGS on an inet datagram socket). */
    private static void up(String name) {
        int s = (int) Native.check(Native.LIBC.socket(LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM, 0), "socket");
        try {
            Pointer req = ifreq(name);
            Native.check(Native.LIBC.ioctl(s, SIOCGIFFLAGS, req), "SIOCGIFFLAGS " + name);
            req.putShort(IFNAMSIZ, (short) (req.getShort(IFNAMSIZ) | IFF_UP));
            Native.check(Native.LIBC.ioctl(s, SIOCSIFFLAGS, req), "SIOCSIFFLAGS " + name);
        } finally {
            Native.LIBC.close(s);
        }
    }

    private static Pointer ifreq(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name too long: " + name);
        }
        Pointer req = Memory.allocateDirect(Native.RUNTIME, IFREQ_SIZE, true);
        req.put(0, bytes, 0, bytes.length);
        return req;
    }

    /** The device's name. */
    public String name() {
        return name;
    }

    @Override
    public void add(InetAddress vip) {
        addresses.add(ifindex, vip, Addresses.bits(vip), "");
    }

    @Override
    public void remove(InetAddress vip) {
        addresses.remove(ifindex, vip, Addresses.bits(vip));
    }

    /** Closes the descriptor: the kernel deletes the device and its addresses. */
    @Override
    public void close() {
        route.close();
        Native.LIBC.close(fd);
    }
}
