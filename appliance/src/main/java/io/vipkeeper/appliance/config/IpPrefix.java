package io.vipkeeper.appliance.config;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address with its prefix length, as a virtual IP is put on an interface: {@code 198.18.0.100/24}.
 *
 * @param address the address itself (no host name lookups are ever made)
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record IpPrefix(InetAddress address, int prefixLength) {

    /** Whether the address is IPv6. */
    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    @Override
    public String toString() {
        return Addresses.format(address) + "/" + prefixLength;
    }
}
