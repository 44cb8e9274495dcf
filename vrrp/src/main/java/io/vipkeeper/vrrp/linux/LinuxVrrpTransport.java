package io.vipkeeper.vrrp.linux;

import io.netty.channel.IoEventLoop;
import io.vipkeeper.vrrp.protocol.Ipv4Header;
import io.vipkeeper.vrrp.transport.InboundPacket;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * {@link VrrpTransport} on a raw protocol-112 socket: IPv4 adverts get keepalived's header (TOS
 * 0xc0, TTL 255, our own id so it is never 0), IPv6 adverts go with hop limit 255 and the kernel's
 * checksum. Received datagrams reach the receiver on the VRRP event loop.
 */
public final class LinuxVrrpTransport implements VrrpTransport {
    private final RawIpSocket socket;
    private final InetAddress source;
    private volatile Consumer<InboundPacket> receiver = p -> { };
    private int ipId = (int) (System.nanoTime() & 0x7fff) + 1;

    private LinuxVrrpTransport(RawIpSocket socket, InetAddress source) {
        this.socket = socket;
        this.source = source;
    }

    /**
     * Opens the socket on {@code ifname} in the caller's network namespace and reads it on
     * {@code loop}; joins the VRRP group when {@code joinGroup}.
     */
    public static LinuxVrrpTransport open(IoEventLoop loop, String ifname, InetAddress source, boolean joinGroup) {
        boolean v6 = !(source instanceof Inet4Address);
        InetAddress group = joinGroup ? (v6 ? io.vipkeeper.vrrp.protocol.VrrpMulticast.IPV6
                : io.vipkeeper.vrrp.protocol.VrrpMulticast.IPV4) : null;
        RawIpSocket s = RawIpSocket.open(v6, LinuxConstants.IPPROTO_VRRP, ifname, group);
        LinuxVrrpTransport t = new LinuxVrrpTransport(s, source);
        s.register(loop, p -> t.receiver.accept(p.toInbound(p.payload(), null)));
        return t;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public void send(byte[] message, InetAddress destination) {
        if (source instanceof Inet4Address src) {
            ipId = ipId == 0xffff ? 1 : ipId + 1;
            socket.send(Ipv4Header.wrap(message, src, (Inet4Address) destination, ipId, LinuxConstants.IPPROTO_VRRP),
                    destination);
        } else {
            socket.send(message, destination);
        }
    }

    @Override
    public void onReceive(Consumer<InboundPacket> newReceiver) {
        this.receiver = newReceiver;
    }

    /** Datagrams the socket could not read. */
    @Override
    public long receiveErrors() {
        return socket.receiveErrors();
    }

    @Override
    public void close() {
        socket.close();
    }
}
