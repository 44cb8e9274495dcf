package io.vipkeeper.vrrp.linux;

import io.netty.channel.IoEventLoop;
import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.protocol.IpsecAh;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.InboundPacket;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRPv2 over IPsec AH (protocol 51) as keepalived speaks it: every advert signed, every received
 * one verified (ICV, SPI, then anti-replay). One sequence counter per VRID serves both directions,
 * as in keepalived: a valid received advert raises it, so a new master continues above the old
 * master's numbers and its peers accept it.
 */
public final class LinuxAhTransport implements VrrpTransport {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxAhTransport.class);

    private final RawIpSocket socket;
    private final Inet4Address source;
    private final byte[] key;
    private final Map<Integer, Long> sequence = new HashMap<>();
    private volatile Consumer<InboundPacket> receiver = p -> { };
    private volatile java.util.function.IntPredicate served = vrid -> true;
    private int ipId = (int) (System.nanoTime() & 0x7fff) + 1;

    private LinuxAhTransport(RawIpSocket socket, Inet4Address source, byte[] key) {
        this.socket = socket;
        this.source = source;
        this.key = key.clone();
    }

    /** Opens the AH socket on {@code ifname} and reads it on {@code loop}. */
    public static LinuxAhTransport open(IoEventLoop loop, String ifname, Inet4Address source, boolean joinGroup,
            byte[] key) {
        RawIpSocket s = RawIpSocket.open(false, IpsecAh.IPPROTO_AH, ifname, joinGroup ? VrrpMulticast.IPV4 : null);
        LinuxAhTransport t = new LinuxAhTransport(s, source, key);
        s.register(loop, t::received);
        return t;
    }

    private void received(RawPacket p) {
        byte[] vrrp = p.payload().length >= IpsecAh.HEADER_LENGTH ? IpsecAh.vrrpMessage(p.payload()) : new byte[0];
        if (vrrp.length > 1 && !served.test(vrrp[1] & 0xff)) {
            receiver.accept(p.toInbound(vrrp, DropReason.UNKNOWN_VRID));
            return;
        }
        boolean unicast = !p.destination().isMulticastAddress();
        IpsecAh.Check check = IpsecAh.verify(p.ipv4Header(), p.payload(), key, unicast);
        if (check != IpsecAh.Check.OK) {
            LOG.debug("AH from {}: {}", p.source().getHostAddress(), check);
            receiver.accept(p.toInbound(vrrp, DropReason.AUTHENTICATION));
            return;
        }
        int vrid = vrrp.length > 1 ? vrrp[1] & 0xff : 0;
        long seq = IpsecAh.sequence(p.payload());
        long last = sequence.getOrDefault(vrid, 0L);
        if (seq <= last) {
            LOG.debug("AH from {}: sequence {} replayed (last {})", p.source().getHostAddress(), seq, last);
            receiver.accept(p.toInbound(vrrp, DropReason.AUTHENTICATION));
            return;
        }
        sequence.put(vrid, seq);
        receiver.accept(p.toInbound(vrrp, null));
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public void send(byte[] message, InetAddress destination) {
        int vrid = message.length > 1 ? message[1] & 0xff : 0;
        long seq = sequence.merge(vrid, 1L, Long::sum);
        ipId = ipId == 0xffff ? 1 : ipId + 1;
        socket.send(IpsecAh.wrap(message, source, (Inet4Address) destination, ipId, seq, key,
                !destination.isMulticastAddress()), destination);
    }

    @Override
    public void onReceive(Consumer<InboundPacket> newReceiver) {
        this.receiver = newReceiver;
    }

    @Override
    public long receiveErrors() {
        return socket.receiveErrors();
    }

    @Override
    public void serveOnly(java.util.function.IntPredicate vrids) {
        this.served = vrids;
    }

    @Override
    public void close() {
        socket.close();
    }
}
