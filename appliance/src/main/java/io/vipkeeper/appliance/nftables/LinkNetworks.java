package io.vipkeeper.appliance.nftables;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddress;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import io.vipkeeper.vrrp.linux.rtnl.Links;
import io.vipkeeper.vrrp.linux.rtnl.Rtnl;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The up, non-loopback interfaces of the calling thread's network namespace and their IPv4 and
 * IPv6 networks, read over rtnetlink (not java.net.NetworkInterface: the JDK reads IPv6 addresses
 * from /proc/net/if_inet6, which is the process's namespace, not the calling thread's). What dr
 * ({@link DsrHops}) and stateless-nat ({@link NftLinks}) look backends and clients up in.
 */
record LinkNetworks(Map<String, LinkInfo> links, Map<String, List<DsrHops.Network>> networks) {
    /** linux/if.h IFF_LOOPBACK. */
    private static final int IFF_LOOPBACK = 0x8;

    /** The interfaces {@code which} takes among the up, non-loopback ones, by name, with their networks. */
    static LinkNetworks read(Predicate<LinkInfo> which) {
        Map<String, LinkInfo> links = new TreeMap<>();
        Map<String, List<DsrHops.Network>> networks = new TreeMap<>();
        try (NetlinkSocket route = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 1000)) {
            Map<Integer, String> names = new HashMap<>();
            for (LinkInfo l : new Links(route).all()) {
                if ((l.flags() & Rtnl.IFF_UP) != 0 && (l.flags() & IFF_LOOPBACK) == 0 && which.test(l)) {
                    links.put(l.name(), l);
                    names.put(l.index(), l.name());
                    networks.put(l.name(), new ArrayList<>());
                }
            }
            for (InterfaceAddress a : new InterfaceAddresses(route).list(0)) {
                String name = names.get(a.ifindex());
                if (name != null && network(a)) {
                    networks.get(name).add(new DsrHops.Network(a.address().getAddress(), a.prefixLength()));
                }
            }
        }
        return new LinkNetworks(links, networks);
    }

    /** Whether {@code a} names a network a backend or client can be on: not a host route (/32, /128), not link-local. */
    static boolean network(InterfaceAddress a) {
        int host = a.address() instanceof Inet4Address ? 32 : 128;
        return a.prefixLength() < host && !a.isLinkLocal();
    }
}
