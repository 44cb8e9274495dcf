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
 * @param ageNanos how long ago the message reached the interface, by the kernel's receive
 *     timestamp (see {@link ArrivalAge}); 0 when unknown. RFC 9568's timers run from reception,
 *     so a backup deducts this from Master_Down_Interval and Skew_Time
 */
public record InboundPacket(InetAddress source, InetAddress destination, int ttl, byte[] payload,
        DropReason rejected, long ageNanos) {
    /** Requires every part but {@code rejected}, and an age of zero or more. */
    public InboundPacket {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        if (ageNanos < 0) {
            throw new IllegalArgumentException("negative age " + ageNanos);
        }
    }

    /** A packet of unknown age, possibly already refused by the transport. */
    public InboundPacket(InetAddress source, InetAddress destination, int ttl, byte[] payload, DropReason rejected) {
        this(source, destination, ttl, payload, rejected, 0);
    }

    /** A packet of unknown age that the transport has no objection to. */
    public InboundPacket(InetAddress source, InetAddress destination, int ttl, byte[] payload) {
        this(source, destination, ttl, payload, null, 0);
    }

    /** The same arrival (addresses, TTL, age) carrying {@code message} instead: an unwrapped payload. */
    public InboundPacket withPayload(byte[] message) {
        return new InboundPacket(source, destination, ttl, message, rejected, ageNanos);
    }

    /** The same arrival, refused for {@code reason}. */
    public InboundPacket rejectedFor(DropReason reason) {
        return new InboundPacket(source, destination, ttl, payload, reason, ageNanos);
    }
}
