package io.vipkeeper.appliance.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An address a VRRP instance puts on an interface while MASTER: one of its virtual IPs (which its
 * adverts carry) or one of its excluded addresses (which they do not; keepalived's
 * virtual_ipaddress_excluded), with keepalived's per-address dev, scope, label and brd.
 *
 * @param prefix the address and its prefix length
 * @param interfaceName where it goes; empty = the instance's interface (or its vmac)
 * @param scope its scope
 * @param label its IPv4 label (IFNAME or IFNAME:TEXT); empty = vipkeeper's own (IFNAME:vk)
 * @param broadcast its IPv4 broadcast address; empty = none
 * @param advertised whether the instance's adverts carry it (a virtual IP), else excluded
 */
public record VirtualAddress(IpPrefix prefix, Optional<String> interfaceName, AddressScope scope, Optional<String> label,
        Optional<InetAddress> broadcast, boolean advertised) {

    /** A virtual IP on the instance's interface, with no options. */
    public static VirtualAddress plain(IpPrefix prefix) {
        return new VirtualAddress(prefix, Optional.empty(), AddressScope.GLOBAL, Optional.empty(), Optional.empty(), true);
    }

    /** Where it goes when the instance's addresses go on {@code instanceInterface}. */
    public String interfaceOr(String instanceInterface) {
        return interfaceName.orElse(instanceInterface);
    }

    @Override
    public String toString() {
        return prefix + interfaceName.map(i -> " dev " + i).orElse("")
                + (scope == AddressScope.GLOBAL ? "" : " scope " + scope.configName())
                + label.map(l -> " label " + l).orElse("") + broadcast.map(b -> " brd " + Addresses.format(b)).orElse("")
                + (advertised ? "" : " (excluded)");
    }
}
