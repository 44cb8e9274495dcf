package io.vipkeeper.vrrp.linux.rtnl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The route and rule requests against byte vectors written from struct rtmsg / fib_rule_hdr and
 * the RTA_* / FRA_* numbers of the uapi headers (what ip route / ip rule send for the same words).
 */
class RoutingTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aRouteViaAGatewayInATableWithAMetric() throws Exception {
        RouteEntry r = new RouteEntry(ip("198.18.105.0"), 24, ip("198.18.104.254"), 2, null, 100, 7, 0, 18, 1);
        assertArrayEquals(hex("3c000000 1800 0506 01000000 00000000"
                + " 02 18 00 00 64 12 00 01 00000000"
                + " 0800 0100 c6126900" // RTA_DST
                + " 0800 0500 c61268fe" // RTA_GATEWAY
                + " 0800 0400 02000000" // RTA_OIF
                + " 0800 0600 07000000"), // RTA_PRIORITY
                Routing.routeRequest(r, true, 1));
    }

    @Test
    void aDeleteAsksForAnyScopeAndALargeTableGoesInRtaTable() throws Exception {
        RouteEntry r = new RouteEntry(ip("2001:db8:104:1::"), 64, null, 0, null, 1000, -1, 0, 18, 6);
        assertArrayEquals(hex("38000000 1900 0500 02000000 00000000"
                + " 0a 40 00 00 00 12 ff 06 00000000"
                + " 1400 0100 20010db8010400010000000000000000" // RTA_DST
                + " 0800 0f00 e8030000"), // RTA_TABLE
                Routing.routeRequest(r, false, 2));
    }

    @Test
    void aDefaultRouteCarriesNoDestinationAndTheSourceAsPrefsrc() throws Exception {
        RouteEntry r = new RouteEntry(ip("0.0.0.0"), 0, ip("198.18.104.254"), 0, ip("198.18.104.100"), 254, -1, 0, 4, 1);
        assertArrayEquals(hex("2c000000 1800 0506 03000000 00000000"
                + " 02 00 00 00 fe 04 00 01 00000000"
                + " 0800 0700 c6126864" // RTA_PREFSRC
                + " 0800 0500 c61268fe"), // RTA_GATEWAY
                Routing.routeRequest(r, true, 3));
    }

    @Test
    void aRuleFromAPrefixWithFwmarkInterfacesAndPreference() throws Exception {
        RuleEntry r = new RuleEntry(false, ip("198.18.104.0"), 24, null, 0, 100, 1000, 0x10, 0xff, "eth0", "eth1", 1, 18);
        assertArrayEquals(hex("5c000000 2000 0506 04000000 00000000"
                + " 02 00 18 00 64 00 00 01 00000000"
                + " 0800 0200 c6126800" // FRA_SRC
                + " 0800 0600 e8030000" // FRA_PRIORITY
                + " 0800 0a00 10000000" // FRA_FWMARK
                + " 0800 1000 ff000000" // FRA_FWMASK
                + " 0900 0300 65746830 00000000" // FRA_IIFNAME "eth0\0", padded
                + " 0900 1100 65746831 00000000" // FRA_OIFNAME
                + " 0500 1500 12000000"), // FRA_PROTOCOL, u8 padded
                Routing.ruleRequest(r, true, 4));
    }

    @Test
    void anIpv6RuleToATableAbove255AndABlackholeRuleHasNoTable() throws Exception {
        RuleEntry r = new RuleEntry(true, null, 0, ip("2001:db8:104::"), 48, 300, -1, -1, -1, null, null, 1, 0);
        byte[] m = Routing.ruleRequest(r, false, 5);
        assertArrayEquals(hex("38000000 2100 0500 05000000 00000000"
                + " 0a 30 00 00 00 00 00 01 00000000"
                + " 0800 0f00 2c010000" // FRA_TABLE
                + " 1400 0100 20010db8010400000000000000000000"), m); // FRA_DST
        RuleEntry hole = new RuleEntry(false, ip("198.18.107.0"), 24, null, 0, 0, 9, -1, -1, null, null, 6, 0);
        byte[] b = Routing.ruleRequest(hole, true, 6);
        assertEquals(0, b[16 + 4], "no table");
        assertEquals(6, b[16 + 7], "FR_ACT_BLACKHOLE");
    }
}
