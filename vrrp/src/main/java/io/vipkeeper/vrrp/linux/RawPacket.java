package io.vipkeeper.vrrp.linux;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;

/**
 * A datagram received on a raw IP socket.
 *
 * @param source IP source
 * @param destination IP destination
 * @param ttl IPv4 TTL or IPv6 hop limit (-1 if the kernel did not say)
 * @param ipv4Header the IPv4 header as received (empty for IPv6); AH covers it
 * @param payload the bytes after the IP header
 * @param ageNanos time since the kernel received it, as {@link ReceiveTimestamp} measured right
 *     after the read; 0 when unknown
 */
public record RawPacket(InetAddress source, InetAddress destination, int ttl, byte[] ipv4Header, byte[] payload,
        long ageNanos) {

    /** The VRRP {@code message} of this datagram (the payload, or what AH wrapped) for the receiver. */
    public InboundPacket toInbound(byte[] message, DropReason rejected) {
        return new InboundPacket(source, destination, ttl, message, rejected, ageNanos);
    }
}
