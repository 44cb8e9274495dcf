/**
 * VRRP on the wire, as values: the advertisement record, versions, packet types, priorities and
 * v2 authentication types as append-only enums with RFC links, the multicast groups, the RFC 1071
 * checksum with its pseudo-headers, the IPv4 header VRRP builds itself, and the two authentications
 * keepalived speaks (IPsec AH for v2, the HMAC-SHA256 trailer). Pure functions and immutable values,
 * no I/O and no threads. Depends on nothing else in vipkeeper (JDK, JCE and Netty's {@code ByteBuf}
 * only), so every other package may use it. See vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.protocol;
