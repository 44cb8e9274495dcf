package io.vipkeeper.appliance.realserver;

import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddress;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.linux.rtnl.Links;
import java.net.Inet6Address;
import java.net.InetAddress;

/** VIPs on {@code lo} as host routes (/32, /128), through rtnetlink in this process's network namespace. */
final class LoopbackVips {
    static final String LO = "lo";
    /** Labelled the way VRRP labels its VIPs, so {@code ip addr} shows who put them there. */
    static final String LABEL = "lo:vk";

    private final InterfaceAddresses addresses;
    private final int ifindex;

    LoopbackVips(NetlinkSocket route) {
        this.addresses = new InterfaceAddresses(route);
        this.ifindex = new Links(route).byName(LO)
                .orElseThrow(() -> new RealServerException("no " + LO + " interface in this network namespace"))
                .index();
    }

    /** {@code 198.18.2.10/32}. */
    static String describe(InetAddress vip) {
        return Addresses.format(vip) + "/" + Addresses.bits(vip);
    }

    /** Whether {@code vip} is on lo as a host route. */
    boolean isPresent(InetAddress vip) {
        for (InterfaceAddress a : addresses.list(ifindex)) {
            if (a.address().equals(vip) && a.prefixLength() == Addresses.bits(vip)) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code vip} (IPv6 without DAD, so it answers at once); false if it was there already. */
    boolean add(InetAddress vip) {
        try {
            return addresses.add(ifindex, vip, Addresses.bits(vip), LABEL) == InterfaceAddresses.Outcome.CHANGED;
        } catch (NetlinkException e) {
            throw failure("cannot add " + describe(vip) + " on " + LO, vip, e);
        }
    }

    /** Removes {@code vip}; false if it was not there. */
    boolean remove(InetAddress vip) {
        try {
            return addresses.remove(ifindex, vip, Addresses.bits(vip)) == InterfaceAddresses.Outcome.CHANGED;
        } catch (NetlinkException e) {
            throw failure("cannot remove " + describe(vip) + " from " + LO, vip, e);
        }
    }

    private static RealServerException failure(String what, InetAddress vip, NetlinkException e) {
        if (e.is(Errno.EPERM)) {
            return new RealServerException(what + ": permission denied (needs root or CAP_NET_ADMIN)");
        }
        if (e.is(Errno.EACCES) && vip instanceof Inet6Address) {
            // The kernel's answer when IPv6 is disabled on the interface.
            return new RealServerException(what + ": IPv6 is disabled (net.ipv6.conf.lo.disable_ipv6)");
        }
        return new RealServerException(what + ": " + Errno.name(e.errno()));
    }
}
