package io.vipkeeper.vrrp.linux.rtnl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * What counts as "this very route" in a route dump (RouteLookup.matches): the dumped entry is
 * built as the kernel lists a route, here from the add request itself (same struct rtmsg and
 * attributes), then varied one field at a time. The dump against the kernel is VirtualRoutesIT's.
 */
class RouteLookupTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static NetlinkMessage listed(RouteEntry r) {
        byte[] m = Routing.routeRequest(r, true, 1);
        return NetlinkMessage.parseAll(m, m.length).get(0);
    }

    private static RouteEntry via(String gateway, long table, long metric) throws Exception {
        return new RouteEntry(ip("198.18.105.0"), 24, gateway == null ? null : ip(gateway), 0, null, table, metric, 0, 18, 1);
    }

    @Test
    void theSameRouteMatchesAndAnotherGatewayTableOrMetricDoesNot() throws Exception {
        RouteEntry ours = via("198.18.104.254", 100, 5);
        assertTrue(RouteLookup.matches(listed(ours), ours));
        assertFalse(RouteLookup.matches(listed(via("198.18.104.253", 100, 5)), ours), "the host's route, another gateway");
        assertFalse(RouteLookup.matches(listed(via("198.18.104.254", 101, 5)), ours), "another table");
        assertFalse(RouteLookup.matches(listed(via("198.18.104.254", 100, 6)), ours), "another metric");
        assertFalse(RouteLookup.matches(listed(via("198.18.104.254", 300, 5)), via("198.18.104.254", 44, 5)),
                "table 300 (RTA_TABLE, rtm_table 0) is not table 44");
        assertTrue(RouteLookup.matches(listed(via("198.18.104.254", 300, 5)), via("198.18.104.254", 300, 5)));
    }

    @Test
    void whatOurRouteLeavesOutTheListedOneMayHave() throws Exception {
        // The kernel lists the interface a gateway resolved to; a route that names none matches it.
        RouteEntry listedWithOif = new RouteEntry(ip("198.18.105.0"), 24, ip("198.18.104.254"), 3, null, 100, 5, 0, 18, 1);
        assertTrue(RouteLookup.matches(listed(listedWithOif), via("198.18.104.254", 100, 5)));
        RouteEntry otherOif = new RouteEntry(ip("198.18.105.0"), 24, ip("198.18.104.254"), 4, null, 100, 5, 0, 18, 1);
        assertFalse(RouteLookup.matches(listed(listedWithOif), otherOif), "another interface named");
        // Without a metric the kernel's default applies: 0 for IPv4, 1024 for IPv6.
        assertTrue(RouteLookup.matches(listed(via("198.18.104.254", 100, 0)), via("198.18.104.254", 100, -1)));
        RouteEntry unreachable6 = new RouteEntry(ip("2001:db8:104:1::"), 64, null, 0, null, 100, 1024, 0, 18, 7);
        assertTrue(RouteLookup.matches(listed(unreachable6),
                new RouteEntry(ip("2001:db8:104:1::"), 64, null, 0, null, 100, -1, 0, 18, 7)));
        assertFalse(RouteLookup.matches(listed(unreachable6),
                new RouteEntry(ip("2001:db8:104:1::"), 64, null, 0, null, 100, -1, 0, 18, 6)), "blackhole is not unreachable");
        // IPv6 keeps metric 0 as 1024 too (adversarial review: our own route read as another).
        assertTrue(RouteLookup.matches(listed(unreachable6),
                new RouteEntry(ip("2001:db8:104:1::"), 64, null, 0, null, 100, 0, 0, 18, 7)));
    }

    @Test
    void aRouteWithoutAGatewayOrSourceIsNotOneWithThem() throws Exception {
        RouteEntry viaHost = new RouteEntry(ip("198.18.105.128"), 25, ip("198.18.104.2"), 3, null, 100, 0, 0, 4, 1);
        RouteEntry ourDevRoute = new RouteEntry(ip("198.18.105.128"), 25, null, 3, null, 100, 0, 253, 18, 1);
        assertFalse(RouteLookup.matches(listed(viaHost), ourDevRoute), "the host's route via a gateway is not our dev route");
        RouteEntry withSource = new RouteEntry(ip("198.18.105.128"), 25, null, 3, ip("198.18.104.100"), 100, 0, 253, 18, 1);
        assertFalse(RouteLookup.matches(listed(withSource), ourDevRoute), "nor one with a source");
        assertTrue(RouteLookup.matches(listed(ourDevRoute), ourDevRoute));
    }

    @Test
    void aReplacementDisplacesOursOnlyInItsPlaceAndOnlyWhenItIsAnotherRoute() throws Exception {
        RouteEntry ours = via("198.18.104.254", 100, 5);
        assertTrue(Routing.displaces(listed(via("198.18.104.253", 100, 5)), ours), "another gateway in its place");
        assertFalse(Routing.displaces(listed(ours), ours), "ours replaced by itself");
        assertFalse(Routing.displaces(listed(via("198.18.104.253", 101, 5)), ours), "another table: another place");
        assertFalse(Routing.displaces(listed(via("198.18.104.253", 100, 6)), ours), "another metric: another place");
        RouteEntry six = new RouteEntry(ip("2001:db8:104:1::"), 64, null, 0, null, 100, 1024, 0, 18, 7);
        RouteEntry sixBlackhole = new RouteEntry(ip("2001:db8:104:1::"), 64, null, 0, null, 100, 1024, 0, 18, 6);
        assertTrue(Routing.displaces(listed(sixBlackhole), six), "another type in its place");
        RouteEntry defaultFour = new RouteEntry(ip("0.0.0.0"), 0, ip("198.18.104.254"), 0, null, 100, 0, 0, 18, 1);
        RouteEntry defaultSix = new RouteEntry(ip("::"), 0, null, 0, null, 100, 0, 0, 18, 7);
        assertFalse(Routing.displaces(listed(defaultSix), defaultFour), "the other family's default route");
    }
}
