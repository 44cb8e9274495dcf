package io.vipkeeper.vrrp.linux;

import static io.vipkeeper.vrrp.linux.LinuxConstants.*;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Sends gratuitous ARP / unsolicited NA frames on one interface through an AF_PACKET socket;
 * fire and forget (a full queue loses one announcement, which the next burst repeats).
 */
public final class Announcer implements AutoCloseable {
    private final int fd;
    private final int ifindex;
    private final byte[] mac;

    private Announcer(int fd, int ifindex, byte[] mac) {
        this.fd = fd;
        this.ifindex = ifindex;
        this.mac = mac.clone();
    }

    /** Opens a packet socket for {@code ifindex} whose hardware address is {@code mac}. */
    public static Announcer open(int ifindex, byte[] mac) {
        // Protocol 0: a send-only packet socket. With ETH_P_ARP the kernel would copy every ARP
        // frame of the host into this never-read socket until its buffer filled.
        int fd = (int) Native.check(Native.LIBC.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0),
                "socket(AF_PACKET)");
        return new Announcer(fd, ifindex, mac);
    }

    /** Announces {@code vip} once; {@code router}: set the NA router flag (forwarding host). */
    public void announce(InetAddress vip, boolean router) {
        byte[] frame;
        int proto;
        byte[] dst;
        if (vip instanceof Inet4Address v4) {
            frame = AnnouncementFrames.garp(mac, v4);
            proto = ETH_P_ARP;
            dst = AnnouncementFrames.BROADCAST;
        } else {
            frame = AnnouncementFrames.unsolicitedNa(mac, (Inet6Address) vip, router);
            proto = ETH_P_IPV6;
            dst = AnnouncementFrames.ALL_NODES_MAC;
        }
        byte[] ll = SockAddr.packet(proto, ifindex, dst);
        Native.check(Native.LIBC.sendto(fd, frame, frame.length, MSG_DONTWAIT, ll, ll.length),
                "sendto(AF_PACKET, " + vip.getHostAddress() + ")");
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
