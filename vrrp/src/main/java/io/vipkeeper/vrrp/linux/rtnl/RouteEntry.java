package io.vipkeeper.vrrp.linux.rtnl;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A route as RTM_NEWROUTE / RTM_DELROUTE carry it (struct rtmsg and its attributes), with the
 * numbers of rtnetlink.h: what {@code ip route add} would send for the same words.
 *
 * @param destination the destination prefix's address (0.0.0.0 / :: with length 0 for default)
 * @param prefixLength its length
 * @param gateway RTA_GATEWAY, or null
 * @param oif RTA_OIF, 0 for none
 * @param preferredSource RTA_PREFSRC, or null
 * @param table the table (RTA_TABLE; rtm_table too when it fits a byte)
 * @param metric RTA_PRIORITY, or -1 for none
 * @param scope rtm_scope (0 universe, 253 link, 254 host)
 * @param protocol rtm_protocol (3 boot, 4 static, 18 keepalived, ...)
 * @param type rtm_type (1 unicast, 6 blackhole, 7 unreachable, 8 prohibit, 9 throw)
 */
public record RouteEntry(InetAddress destination, int prefixLength, InetAddress gateway, int oif,
        InetAddress preferredSource, long table, long metric, int scope, int protocol, int type) {

    /** Whether it is an IPv6 route. */
    public boolean ipv6() {
        return destination instanceof Inet6Address;
    }

    /** "198.18.105.0/24 via 198.18.104.254 table 100" for logs and errors. */
    @Override
    public String toString() {
        return (type == Rtnl.RTN_UNICAST ? "" : typeName(type) + " ") + destination.getHostAddress() + "/" + prefixLength
                + (gateway == null ? "" : " via " + gateway.getHostAddress()) + (oif == 0 ? "" : " oif " + oif)
                + (preferredSource == null ? "" : " src " + preferredSource.getHostAddress())
                + " table " + table + (metric < 0 ? "" : " metric " + metric);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 6 -> "blackhole";
            case 7 -> "unreachable";
            case 8 -> "prohibit";
            case 9 -> "throw";
            default -> "type " + type;
        };
    }
}
