package io.vipkeeper.vrrp.linux;

import java.net.InetAddress;

/**
 * A datagram received on a raw IP socket.
 *
 * @param source IP source
 * @param destination IP destination
 * @param ttl IPv4 TTL or IPv6 hop limit (-1 if the kernel did not say)
 * @param ipv4Header the IPv4 header as received (empty for IPv6); AH covers it
 * @param payload the bytes after the IP header
 */
public record RawPacket(InetAddress source, InetAddress destination, int ttl, byte[] ipv4Header, byte[] payload) {
}
