package io.vipkeeper.appliance.nftables;

import static io.vipkeeper.appliance.nftables.NftFixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.rtnl.Rtnl;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The main table's IPv6 default gateway per interface, from RTM_GETROUTE dump messages as the kernel sends them. */
class DefaultRoutes6Test {
    private static final int RTA_MULTIPATH = DefaultRoutes6.RTA_MULTIPATH;

    /** A dumped IPv6 route: rtmsg, then RTA_TABLE, RTA_PRIORITY, RTA_GATEWAY (unless null), RTA_OIF (unless 0). */
    private static NetlinkMessageBuilder route(int dstLen, int table, int type, long metric, String gateway, int oif) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWROUTE, NetlinkMessageBuilder.NLM_F_MULTI)
                .u8(LinuxConstants.AF_INET6).u8(dstLen).u8(0).u8(0).u8(table < 256 ? table : 252).u8(3).u8(0).u8(type).u32(0)
                .attrU32(Rtnl.RTA_TABLE, table).attrU32(Rtnl.RTA_PRIORITY, metric);
        if (dstLen > 0) {
            b.attrBytes(Rtnl.RTA_DST, ip("2001:db8:184:7::").getAddress());
        }
        if (gateway != null) {
            b.attrBytes(Rtnl.RTA_GATEWAY, ip(gateway).getAddress());
        }
        if (oif != 0) {
            b.attrU32(Rtnl.RTA_OIF, oif);
        }
        return b;
    }

    private static NetlinkMessage message(NetlinkMessageBuilder b) {
        byte[] bytes = b.build(1);
        return NetlinkMessage.parseAll(bytes, bytes.length).get(0);
    }

    private static Map<Integer, InetAddress> gateways(NetlinkMessageBuilder... dump) {
        List<DefaultRoutes6.Route> routes = new ArrayList<>();
        for (NetlinkMessageBuilder b : dump) {
            routes.addAll(DefaultRoutes6.parse(message(b)));
        }
        return DefaultRoutes6.lowest(routes);
    }

    /** The reviewer's namespace: table 100's default (a VRRP virtual route) dumped before main's. */
    @Test
    void theMainTablesDefaultRouteNotAPolicyTablesListedFirst() {
        assertEquals(Map.of(2, ip("2001:db8:245::fe")), gateways(
                route(0, 100, Rtnl.RTN_UNICAST, 1024, "2001:db8:245::99", 2),
                route(0, 254, Rtnl.RTN_UNICAST, 1024, "2001:db8:245::fe", 2)));
    }

    @Test
    void perInterfaceTheLowestMetricWinsAndOtherRoutesAreNoDefault() {
        assertEquals(Map.of(2, ip("fe80::1"), 3, ip("2001:db8:184:3::fe")), gateways(
                route(0, 254, Rtnl.RTN_UNICAST, 2048, "2001:db8:184:2::fd", 2),
                route(0, 254, Rtnl.RTN_UNICAST, 1024, "fe80::1", 2),
                route(0, 254, Rtnl.RTN_UNICAST, 4096, "2001:db8:184:2::fc", 2),
                // A network route via a gateway, the unreachable default on lo (no gateway), a local table's route.
                route(64, 254, Rtnl.RTN_UNICAST, 1, "2001:db8:184:2::fb", 2),
                route(0, 254, 7, 0xffffffffL, null, 1),
                route(0, 255, Rtnl.RTN_UNICAST, 1, "2001:db8:184:2::fa", 2),
                route(0, 254, Rtnl.RTN_UNICAST, 1024, "2001:db8:184:3::fe", 3)));
    }

    /** An ECMP default route is one message with its next hops in RTA_MULTIPATH: the first hop per interface. */
    @Test
    void aMultipathDefaultRoutesNextHops() {
        ByteBuffer hops = ByteBuffer.allocate(2 * 28).order(ByteOrder.LITTLE_ENDIAN);
        int oif = 4;
        for (String g : List.of("2001:db8:184:4::1", "2001:db8:184:5::1")) {
            // struct rtnexthop {u16 len; u8 flags; u8 hops; int ifindex}, then RTA_GATEWAY (4 + 16 bytes).
            hops.putShort((short) 28).put((byte) 0).put((byte) 0).putInt(oif++);
            hops.putShort((short) 20).putShort((short) Rtnl.RTA_GATEWAY).put(ip(g).getAddress());
        }
        assertEquals(Map.of(4, ip("2001:db8:184:4::1"), 5, ip("2001:db8:184:5::1")),
                gateways(route(0, 254, Rtnl.RTN_UNICAST, 1024, null, 0).attrBytes(RTA_MULTIPATH, hops.array())));
    }
}
