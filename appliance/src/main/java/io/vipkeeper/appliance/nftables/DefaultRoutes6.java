package io.vipkeeper.appliance.nftables;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.Rtnl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateways of the main routing table's (254) IPv6 default routes, dumped over rtnetlink
 * (RTM_GETROUTE, AF_INET6) in the calling thread's network namespace: per interface, its
 * lowest-metric default route's. Not {@code /proc/net/ipv6_route}: it lists the routes of every
 * table with no table column, and a policy table's default route (a VRRP virtual route in table
 * 100) listed first was taken for the interface's (found by review). IPv4's {@code
 * /proc/net/route} lists the main table only, lowest metric first, so it stays ({@link NftLinks}).
 */
final class DefaultRoutes6 {
    /** linux/rtnetlink.h RT_TABLE_MAIN. */
    static final int RT_TABLE_MAIN = 254;
    /** linux/rtnetlink.h RTA_MULTIPATH. */
    static final int RTA_MULTIPATH = 9;
    /** sizeof(struct rtnexthop). */
    private static final int RTNEXTHOP = 8;

    private DefaultRoutes6() {
    }

    /** A default route of the main table: its interface's index, metric and gateway. */
    record Route(int oif, long metric, InetAddress gateway) {
    }

    /** Each interface's (by index) gateway of its lowest-metric IPv6 default route in the main table. */
    static Map<Integer, InetAddress> gateways() {
        List<Route> routes = new ArrayList<>();
        try (NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 1000)) {
            int seq = NetlinkSocket.nextSeq();
            byte[] req = new NetlinkMessageBuilder(Rtnl.RTM_GETROUTE, NetlinkMessageBuilder.NLM_F_REQUEST
                    | NetlinkMessageBuilder.NLM_F_DUMP).u8(LinuxConstants.AF_INET6).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)
                    .u32(0).build(seq);
            for (NetlinkMessage m : s.request(req, seq, "RTM_GETROUTE dump")) {
                routes.addAll(parse(m));
            }
        }
        return lowest(routes);
    }

    /**
     * The main table's IPv6 default routes (unicast, via a gateway) of dumped route {@code m}: one,
     * one per next hop of a multipath route, or none for any other route.
     */
    static List<Route> parse(NetlinkMessage m) {
        byte[] p = m.payload();
        if (m.type() != Rtnl.RTM_NEWROUTE || p.length < Rtnl.RTMSG || (p[0] & 0xff) != LinuxConstants.AF_INET6
                || (p[1] & 0xff) != 0 || (p[7] & 0xff) != Rtnl.RTN_UNICAST) {
            return List.of();
        }
        NetlinkAttributes a = m.attributes(Rtnl.RTMSG);
        long table = a.has(Rtnl.RTA_TABLE) ? a.u32(Rtnl.RTA_TABLE) : p[4] & 0xff;
        if (table != RT_TABLE_MAIN) {
            return List.of();
        }
        long metric = a.has(Rtnl.RTA_PRIORITY) ? a.u32(Rtnl.RTA_PRIORITY) : 0;
        List<Route> out = new ArrayList<>();
        byte[] gateway = a.bytes(Rtnl.RTA_GATEWAY).orElse(null);
        if (gateway != null && a.has(Rtnl.RTA_OIF)) {
            add(out, (int) a.u32(Rtnl.RTA_OIF), metric, gateway);
        }
        // ECMP: struct rtnexthop {len, flags, hops, ifindex} each, its own attributes (RTA_GATEWAY) after it.
        byte[] hops = a.bytes(RTA_MULTIPATH).orElse(new byte[0]);
        ByteBuffer b = ByteBuffer.wrap(hops).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + RTNEXTHOP <= hops.length; ) {
            int len = b.getShort(off) & 0xffff;
            if (len < RTNEXTHOP || len > hops.length - off) {
                break;
            }
            NetlinkAttributes h = NetlinkAttributes.parse(hops, off + RTNEXTHOP, off + len);
            byte[] g = h.bytes(Rtnl.RTA_GATEWAY).orElse(null);
            if (g != null) {
                add(out, b.getInt(off + 4), metric, g);
            }
            off += (len + 3) & ~3; // RTNH_ALIGN
        }
        return out;
    }

    private static void add(List<Route> out, int oif, long metric, byte[] gateway) {
        if (gateway.length != 16) {
            return; // an IPv4 next hop of an IPv6 route (RFC 5549): not one nft's fwd ip6 can take
        }
        try {
            out.add(new Route(oif, metric, InetAddress.getByAddress(gateway)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // sixteen bytes always make an address
        }
    }

    /** Each interface's gateway of its lowest-metric route of {@code routes}; the first listed on a tie. */
    static Map<Integer, InetAddress> lowest(List<Route> routes) {
        Map<Integer, Route> best = new HashMap<>();
        for (Route r : routes) {
            best.merge(r.oif(), r, (was, now) -> Long.compareUnsigned(now.metric(), was.metric()) < 0 ? now : was);
        }
        Map<Integer, InetAddress> out = new HashMap<>();
        best.forEach((oif, r) -> out.put(oif, r.gateway()));
        return out;
    }
}
