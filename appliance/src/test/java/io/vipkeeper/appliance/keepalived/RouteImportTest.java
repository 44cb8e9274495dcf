package io.vipkeeper.appliance.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.VrrpInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's virtual_routes / virtual_rules lines to virtual-routes / virtual-rules that pass check. */
class RouteImportTest extends ImportTestBase {
    private static final String INSTANCE = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
            + " virtual_ipaddress {\n  198.18.104.100/24\n }\n";

    private static Config entry(Config c, String key, int n) {
        return ((ConfigObject) c.getList("vrrp.instances.VI_1." + key).get(n)).toConfig();
    }

    @Test
    void routesAndRulesAreCarriedWordForWordAndPassCheck() throws Exception {
        Config c = run(INSTANCE
                + " virtual_routes {\n"
                + "  src 198.18.104.100 to 198.18.105.0/24 via 198.18.104.254 dev eth0 table 100 metric 5\n"
                + "  blackhole 198.18.107.0/24 table 100\n"
                + "  default gw 198.18.104.254 table 101 no_track\n"
                + "  inet6 unreachable 2001:db8:104:1::/64 table 100 protocol static\n"
                + "  198.18.108.0/24 dev eth0 scope link mtu 1400\n"
                + " }\n"
                + " virtual_rules {\n"
                + "  from 198.18.104.100 table 100 priority 1000\n"
                + "  fwmark 0x10/0xff lookup 101 preference 1001 iif eth0\n"
                + "  to 198.18.106.0/24 prohibit priority 1004\n"
                + "  inet6 fwmark 7 table 100 priority 1005\n"
                + "  from 198.18.104.0/24 table 100\n"
                + " }\n}\n");
        Config r0 = entry(c, "virtual-routes", 0);
        assertEquals(List.of("198.18.105.0/24", "198.18.104.100", "198.18.104.254", "eth0", "100", "5"), List.of(
                r0.getString("to"), r0.getString("src"), r0.getString("via"), r0.getString("interface"),
                r0.getString("table"), r0.getString("metric")));
        assertEquals("blackhole", entry(c, "virtual-routes", 1).getString("type"));
        assertEquals("default", entry(c, "virtual-routes", 2).getString("to"));
        assertEquals("static", entry(c, "virtual-routes", 3).getString("proto"));
        assertEquals("unreachable", entry(c, "virtual-routes", 3).getString("type"));
        assertEquals("link", entry(c, "virtual-routes", 4).getString("scope"));
        assertFalse(entry(c, "virtual-routes", 4).hasPath("mtu"));
        assertEquals("0x10/0xff", entry(c, "virtual-rules", 1).getString("fwmark"));
        assertEquals("eth0", entry(c, "virtual-rules", 1).getString("iif"));
        assertEquals(1001, entry(c, "virtual-rules", 1).getInt("priority"));
        assertEquals("prohibit", entry(c, "virtual-rules", 2).getString("type"));
        assertEquals("ipv6", entry(c, "virtual-rules", 3).getString("family"));
        assertEquals(16384, entry(c, "virtual-rules", 4).getInt("priority"));
        assertEquals(List.of(
                "k.conf:10: virtual_routes no_track: note: vipkeeper never bounces the instance over a deleted route or rule;"
                        + " it puts it back while MASTER",
                "k.conf:12: virtual_routes mtu: vipkeeper's virtual routes carry to, via, dev, src, table, metric,"
                        + " scope, proto and type; the route is imported without mtu 1400",
                "k.conf:19: virtual_rules: note: no preference: keepalived numbers such rules from 16384 on; written"
                        + " as priority 16384 (vipkeeper needs one to know its rule is there)"),
                notes());

        Path out = dir.resolve("imported.conf");
        Files.writeString(out, result.config());
        VrrpInstance i = ConfigLoader.load(out).vrrp().instances().get("VI_1");
        assertEquals(5, i.routes().size());
        assertEquals(5, i.rules().size());
        assertEquals("198.18.105.0/24 via 198.18.104.254 dev eth0 src 198.18.104.100 table 100 metric 5 proto 18",
                i.routes().get(0).toString());
    }

    @Test
    void aLineWithANamedTableOrAnUnknownWordIsLeftOutWhole() throws Exception {
        Config c = run(INSTANCE
                + " virtual_routes {\n  198.18.105.0/24 via 198.18.104.254 table isp2\n"
                + "  198.18.106.0/24 dev eth0\n }\n"
                + " virtual_rules {\n  from 198.18.104.0/24 not table 100 priority 9\n }\n}\n");
        assertEquals(1, c.getList("vrrp.instances.VI_1.virtual-routes").size());
        assertFalse(c.hasPath("vrrp.instances.VI_1.virtual-rules"));
        assertFalse(result.complete());
    }

    /**
     * A default route through an IPv6 gateway is IPv6 (keepalived takes the family from the
     * gateway; it was written as an IPv4 default that check refused), and a route of nexthops is
     * left out whole (it was written without a gateway, which check refused).
     */
    @Test
    void anIpv6DefaultStaysIpv6AndANexthopRouteIsLeftOutWhole() throws Exception {
        Config c = run(INSTANCE
                + " virtual_routes {\n  default via 2001:db8:104::62 table 100\n"
                + "  198.18.107.0/30 nexthop via 198.18.104.1 nexthop via 198.18.104.2\n }\n}\n");
        assertEquals(1, c.getList("vrrp.instances.VI_1.virtual-routes").size());
        assertEquals("default6", entry(c, "virtual-routes", 0).getString("to"));
        assertEquals("2001:db8:104::62", entry(c, "virtual-routes", 0).getString("via"));
        assertFalse(result.complete());
    }
}
