package io.vipkeeper.vrrp.linux;

import static io.vipkeeper.vrrp.linux.LinuxConstants.*;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jnr.ffi.byref.IntByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking raw IP socket for one protocol (112 VRRP, 51 AH) on one interface, read on a
 * Netty epoll event loop. IPv4 sends whole packets (IP_HDRINCL, header built by the caller);
 * IPv6 sends the payload with hop limit 255 and the kernel's checksum at offset 6.
 */
public final class RawIpSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RawIpSocket.class);
    /** Datagrams read per wake-up of the loop. */
    private static final int BATCH = 32;
    private static final int MAX_DATAGRAM = 65_536;

    private final int fd;
    private final boolean ipv6;
    private final int ifindex;
    private final String ifname;
    private final Ipv6Receiver ipv6Receiver;
    private final ReceiveTimestamp timestamp;
    private final byte[] buffer = new byte[MAX_DATAGRAM];
    private final AtomicLong receiveErrors = new AtomicLong();
    private volatile IoRegistration registration;
    private volatile boolean closed;

    private RawIpSocket(int fd, boolean ipv6, int ifindex, String ifname) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.ifindex = ifindex;
        this.ifname = ifname;
        this.timestamp = ReceiveTimestamp.enable(fd);
        this.ipv6Receiver = ipv6 ? new Ipv6Receiver(fd, timestamp) : null;
    }

    /**
     * Opens the socket on {@code ifname}, joined to {@code group} when it is not null.
     *
     * @throws SyscallException if a call fails (the socket is closed again)
     */
    public static RawIpSocket open(boolean ipv6, int protocol, String ifname, InetAddress group) {
        LibC c = Native.LIBC;
        int ifindex = c.if_nametoindex(ifname);
        if (ifindex == 0) {
            throw new SyscallException("if_nametoindex(" + ifname + ")", Errno.ENODEV.number());
        }
        int fd = (int) Native.check(c.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                protocol), "socket(raw, " + protocol + ")");
        RawIpSocket s = new RawIpSocket(fd, ipv6, ifindex, ifname);
        try {
            s.setopt(SOL_SOCKET, SO_BINDTODEVICE, (ifname + "\0").getBytes(), "SO_BINDTODEVICE");
            if (ipv6) {
                s.setopt(IPPROTO_IPV6, IPV6_MULTICAST_IF, SockAddr.intValue(ifindex), "IPV6_MULTICAST_IF");
                s.setopt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, SockAddr.intValue(255), "IPV6_MULTICAST_HOPS");
                s.setopt(IPPROTO_IPV6, IPV6_UNICAST_HOPS, SockAddr.intValue(255), "IPV6_UNICAST_HOPS");
                s.setopt(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, SockAddr.intValue(0), "IPV6_MULTICAST_LOOP");
                s.setopt(IPPROTO_IPV6, IPV6_MULTICAST_ALL, SockAddr.intValue(0), "IPV6_MULTICAST_ALL");
                s.setopt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, SockAddr.intValue(1), "IPV6_RECVHOPLIMIT");
                s.setopt(IPPROTO_IPV6, IPV6_RECVPKTINFO, SockAddr.intValue(1), "IPV6_RECVPKTINFO");
                if (protocol == IPPROTO_VRRP) {
                    s.setopt(IPPROTO_IPV6, IPV6_CHECKSUM, SockAddr.intValue(6), "IPV6_CHECKSUM");
                }
                if (group != null) {
                    s.setopt(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, SockAddr.ipv6Mreq((Inet6Address) group, ifindex),
                            "IPV6_ADD_MEMBERSHIP");
                }
            } else {
                s.setopt(IPPROTO_IP, IP_HDRINCL, SockAddr.intValue(1), "IP_HDRINCL");
                s.setopt(IPPROTO_IP, IP_MULTICAST_LOOP, SockAddr.intValue(0), "IP_MULTICAST_LOOP");
                s.setopt(IPPROTO_IP, IP_MULTICAST_ALL, SockAddr.intValue(0), "IP_MULTICAST_ALL");
                s.setopt(IPPROTO_IP, IP_MULTICAST_IF, SockAddr.ipMreqn((Inet4Address) InetAddress.getByAddress(
                        new byte[4]), ifindex), "IP_MULTICAST_IF");
                if (group != null) {
                    s.setopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, SockAddr.ipMreqn((Inet4Address) group, ifindex),
                            "IP_ADD_MEMBERSHIP");
                }
            }
            return s;
        } catch (RuntimeException | java.net.UnknownHostException e) {
            s.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private void setopt(int level, int name, byte[] value, String what) {
        Native.check(Native.LIBC.setsockopt(fd, level, name, value, value.length), "setsockopt(" + what + ")");
    }

    /** The interface's kernel index. */
    public int ifindex() {
        return ifindex;
    }

    /** The interface name. */
    public String ifname() {
        return ifname;
    }

    /** Datagrams that could not be read or parsed. */
    public long receiveErrors() {
        return receiveErrors.get();
    }

    /**
     * Reads on {@code loop}: every pending datagram goes to {@code onPacket} on the loop thread.
     */
    public Future<IoRegistration> register(IoEventLoop loop, Consumer<RawPacket> onPacket) {
        Handle handle = new Handle(onPacket);
        Future<IoRegistration> f = loop.register(handle);
        f.addListener(done -> {
            if (done.isSuccess()) {
                registration = f.getNow();
                registration.submit(EpollIoOps.EPOLLIN);
            } else {
                LOG.error("cannot register raw socket on {}: {}", ifname, done.cause().toString());
            }
        });
        return f;
    }

    /**
     * Sends {@code packet} (IPv4: with its IP header; IPv6: the payload) to {@code destination}.
     *
     * @throws SyscallException if the kernel refuses (EAGAIN, ENOBUFS, ENETDOWN, ...)
     */
    public void send(byte[] packet, InetAddress destination) {
        byte[] addr = SockAddr.of(destination, ipv6 ? ifindex : 0);
        Native.check(Native.LIBC.sendto(fd, packet, packet.length, MSG_DONTWAIT, addr, addr.length),
                "sendto(" + destination.getHostAddress() + " on " + ifname + ")");
    }

    private void drain(Consumer<RawPacket> onPacket) {
        // A bounded batch per wake-up (the registration is level-triggered, so the rest is read on
        // the next turn): timers, the master's adverts above all, run between batches, so a flood
        // of received packets cannot hold an advert back by more than a batch.
        for (int i = 0; i < BATCH && !closed; i++) {
            RawPacket p;
            try {
                p = ipv6 ? ipv6Receiver.receive() : receiveIpv4();
            } catch (SyscallException e) {
                if (!e.is(Errno.EAGAIN) && !e.is(Errno.EINTR)) {
                    receiveErrors.incrementAndGet();
                    LOG.warn("receive on {}: {}", ifname, e.getMessage());
                }
                return;
            } catch (RuntimeException e) {
                receiveErrors.incrementAndGet();
                LOG.warn("unreadable datagram on {}: {}", ifname, e.toString());
                continue;
            }
            if (p != null) {
                onPacket.accept(p);
            }
        }
    }

    private RawPacket receiveIpv4() {
        byte[] from = new byte[16];
        IntByReference fromLen = new IntByReference(16);
        int n = (int) Native.check(Native.LIBC.recvfrom(fd, buffer, buffer.length, MSG_DONTWAIT, from, fromLen),
                "recvfrom");
        if (n < 20 || (buffer[0] & 0xf0) != 0x40) {
            receiveErrors.incrementAndGet();
            return null;
        }
        int ihl = (buffer[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > n) {
            receiveErrors.incrementAndGet();
            return null;
        }
        try {
            InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(buffer, 12, 16));
            InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(buffer, 16, 20));
            return new RawPacket(src, dst, buffer[8] & 0xff, Arrays.copyOf(buffer, ihl),
                    Arrays.copyOfRange(buffer, ihl, n), timestamp.ageNanos());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Stops reading and closes the socket; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        IoRegistration r = registration;
        if (r != null) {
            r.cancel();
        }
        Native.LIBC.close(fd);
    }

    private final class Handle implements EpollIoHandle {
        private final FileDescriptor descriptor = new FileDescriptor(fd);
        private final Consumer<RawPacket> onPacket;

        Handle(Consumer<RawPacket> onPacket) {
            this.onPacket = onPacket;
        }

        @Override
        public FileDescriptor fd() {
            return descriptor;
        }

        @Override
        public void handle(IoRegistration reg, IoEvent event) {
            drain(onPacket);
        }

        @Override
        public void close() {
            // The socket closes itself in RawIpSocket.close(); the loop only forgets the handle.
        }
    }
}
