package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Whether the kernel holds a given route: one RTM_GETROUTE dump of the route's family, searched
 * for an entry with its table, destination, metric, type, gateway and preferred source (none where
 * the route has none) and, where the route names one, its interface. The protocol is not compared:
 * the host's own copy of the route is the route. An add answered EEXIST needs it: the kernel says
 * that only of the key (table, destination, metric), so the route there may be another one.
 */
final class RouteLookup {
    /** The metric the kernel gives a route added without one: IPv4 0, IPv6 1024 (IP6_RT_PRIO_USER). */
    private static final long IPV6_DEFAULT_METRIC = 1024;
    /** struct rtmsg. */
    private static final int RTMSG = 12;

    private RouteLookup() {
    }

    static boolean holds(NetlinkSocket socket, RouteEntry r) {
        int seq = NetlinkSocket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(Rtnl.RTM_GETROUTE,
                NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_DUMP)
                .u8(r.ipv6() ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)
                .u32(0).build(seq);
        for (NetlinkMessage m : socket.request(request, seq, "RTM_GETROUTE dump")) {
            if (m.type() == Rtnl.RTM_NEWROUTE && m.payload().length >= RTMSG && matches(m, r)) {
                return true;
            }
        }
        return false;
    }

    /** Whether dumped route {@code m} is {@code r}. */
    static boolean matches(NetlinkMessage m, RouteEntry r) {
        byte[] p = m.payload();
        NetlinkAttributes a = m.attributes(RTMSG);
        return sameKey(m, r) && (p[7] & 0xff) == r.type() && same(a, Rtnl.RTA_GATEWAY, r.gateway())
                && same(a, Rtnl.RTA_PREFSRC, r.preferredSource())
                && (r.oif() == 0 || a.has(Rtnl.RTA_OIF) && a.u32(Rtnl.RTA_OIF) == r.oif());
    }

    /**
     * Whether route message {@code m} (a dump's or an event's) has {@code r}'s key: family, table,
     * destination and metric, what the kernel tells routes apart by.
     */
    static boolean sameKey(NetlinkMessage m, RouteEntry r) {
        byte[] p = m.payload();
        if (p.length < RTMSG || (p[0] & 0xff) != (r.ipv6() ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET)) {
            return false;
        }
        NetlinkAttributes a = m.attributes(RTMSG);
        long table = a.has(Rtnl.RTA_TABLE) ? a.u32(Rtnl.RTA_TABLE) : p[4] & 0xff;
        long metric = a.has(Rtnl.RTA_PRIORITY) ? a.u32(Rtnl.RTA_PRIORITY) : 0;
        // IPv6 keeps a route added with metric 0 or none at 1024; IPv4 keeps 0.
        long wanted = r.metric() > 0 ? r.metric() : r.ipv6() ? IPV6_DEFAULT_METRIC : 0;
        byte[] dst = a.bytes(Rtnl.RTA_DST).orElse(new byte[r.destination().getAddress().length]);
        return (p[1] & 0xff) == r.prefixLength() && table == r.table() && metric == wanted
                && Arrays.equals(dst, r.destination().getAddress());
    }

    /** The attribute is {@code wanted}, or absent when {@code wanted} is null (a route via a gateway is not one without). */
    private static boolean same(NetlinkAttributes a, int type, InetAddress wanted) {
        return a.bytes(type).map(b -> wanted != null && Arrays.equals(b, wanted.getAddress())).orElse(wanted == null);
    }
}
