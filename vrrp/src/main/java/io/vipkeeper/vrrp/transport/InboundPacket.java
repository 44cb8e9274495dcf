package io.vipkeeper.vrrp.transport;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A VRRP message as it arrived, before any check: the bytes after the IP header and what the IP
 * header said about it.
 *
 * @param source IP source address (the sender's primary address)
 * @param destination IP destination (the multicast group or our unicast address)
 * @param ttl IPv4 TTL or IPv6 hop limit
 * @param payload the VRRP message bytes (not copied: do not modify)
 */
public record InboundPacket(InetAddress source, InetAddress destination, int ttl, byte[] payload) {
    /** Requires every part. */
    public InboundPacket {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
    }
}
