package io.vipkeeper.vrrp.transport;

import io.vipkeeper.vrrp.codec.DropReason;
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
 * @param rejected non-null when the transport already refused it (IPsec AH failure): the message
 *     is only counted, under this reason, for the router of its VRID
 */
public record InboundPacket(InetAddress source, InetAddress destination, int ttl, byte[] payload,
        DropReason rejected) {
    /** Requires every part but {@code rejected}. */
    public InboundPacket {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
    }

    /** A packet the transport has no objection to. */
    public InboundPacket(InetAddress source, InetAddress destination, int ttl, byte[] payload) {
        this(source, destination, ttl, payload, null);
    }
}
