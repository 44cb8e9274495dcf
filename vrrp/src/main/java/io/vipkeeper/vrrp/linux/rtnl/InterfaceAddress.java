package io.vipkeeper.vrrp.linux.rtnl;

import java.net.InetAddress;

/**
 * An address on an interface, as RTM_NEWADDR reports it.
 *
 * @param ifindex the interface
 * @param address IFA_LOCAL (or IFA_ADDRESS when there is no local)
 * @param prefixLength prefix length
 * @param scope RT_SCOPE_* (0 universe, 253 link, 254 host)
 * @param label IFA_LABEL, or empty
 */
public record InterfaceAddress(int ifindex, InetAddress address, int prefixLength, int scope, String label) {
    /** Whether this is an IPv6 link-local address. */
    public boolean isLinkLocal() {
        return address.isLinkLocalAddress();
    }
}
