package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtual-routes and virtual-rules: what ip route / ip rule words they carry, and bad entries at their lines. */
class VirtualRouteConfigTest {
    @TempDir
    Path dir;

    private Path write(String... lines) {
        return ConfigFiles.write(dir, "r.conf", String.join("\n", lines) + "\n");
    }

    private static List<String> problems(InvalidConfigException e) {
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message())
                .toList();
    }

    private static IpPrefix prefix(String text) {
        return Addresses.parsePrefix(text).orElseThrow();
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void routesAndRulesAreReadWithTheirOptions() throws Exception {
        VrrpInstance i = ConfigLoader.load(write(
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.104.100/24\"]",
                "  virtual-routes = [",
                "    { to = \"198.18.105.0/24\", via = \"198.18.104.254\", table = 100, metric = 5 }",
                "    { to = default, via = \"198.18.104.254\", src = \"198.18.104.100\", interface = eth0 }",
                "    { to = \"2001:db8:104:1::/64\", type = unreachable, table = local, proto = static, scope = host }",
                "  ]",
                "  virtual-rules = [",
                "    { from = \"198.18.104.100\", table = 100, priority = 1000 }",
                "    { fwmark = \"0x10/0xff\", iif = eth0, oif = eth1, table = 4294967295, family = ipv6, priority = 1001 }",
                "    { to = \"198.18.106.0/24\", type = prohibit, priority = 1004, proto = 4 }",
                "  ]",
                "}")).vrrp().instances().get("web");
        assertEquals(List.of(
                new VirtualRoute(prefix("198.18.105.0/24"), Optional.of(ip("198.18.104.254")), Optional.empty(),
                        Optional.empty(), 100, Optional.of(5L), AddressScope.GLOBAL, 18, RouteType.UNICAST),
                new VirtualRoute(prefix("0.0.0.0/0"), Optional.of(ip("198.18.104.254")), Optional.of("eth0"),
                        Optional.of(ip("198.18.104.100")), 254, Optional.empty(), AddressScope.GLOBAL, 18,
                        RouteType.UNICAST),
                new VirtualRoute(prefix("2001:db8:104:1::/64"), Optional.empty(), Optional.empty(), Optional.empty(),
                        255, Optional.empty(), AddressScope.HOST, 4, RouteType.UNREACHABLE)), i.routes());
        assertEquals(List.of(
                new VirtualRule(false, Optional.of(prefix("198.18.104.100/32")), Optional.empty(), 100,
                        Optional.of(1000L), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        RuleType.TABLE, 18),
                new VirtualRule(true, Optional.empty(), Optional.empty(), 4294967295L, Optional.of(1001L),
                        Optional.of(0x10L), Optional.of(0xffL), Optional.of("eth0"), Optional.of("eth1"), RuleType.TABLE, 18),
                new VirtualRule(false, Optional.empty(), Optional.of(prefix("198.18.106.0/24")), 0, Optional.of(1004L),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), RuleType.PROHIBIT, 4)),
                i.rules());
        assertEquals("default via 198.18.104.254 dev eth0 src 198.18.104.100 table 254 proto 18",
                i.routes().get(1).toString());
    }

    @Test
    void anInstanceWithoutThemHasNone() throws Exception {
        VrrpInstance i = ConfigLoader.load(write(
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.104.100/24\"]",
                "}")).vrrp().instances().get("web");
        assertEquals(List.of(), i.routes());
        assertEquals(List.of(), i.rules());
    }

    @Test
    void badEntriesAreReportedAtTheirLines() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(write(
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.104.100/24\"]",
                "  virtual-routes = [",
                "    { to = \"198.18.105.1/24\", via = \"198.18.104.254\" }",
                "    { to = \"198.18.105.0/24\", via = \"2001:db8::1\" }",
                "    { to = \"198.18.105.0/24\", type = blackhole, via = \"198.18.104.254\" }",
                "    { to = \"198.18.105.0/24\" }",
                "    { to = \"198.18.105.0/24\", via = \"198.18.104.254\", table = nosuch, onlink = true }",
                "    { via = \"198.18.104.254\" }",
                "    \"198.18.105.0/24\"",
                "  ]",
                "  virtual-rules = [",
                "    { from = \"198.18.104.100\", priority = 1 }",
                "    { from = \"198.18.104.100\", to = \"2001:db8::/32\", table = 100, priority = 2 }",
                "    { fwmark = \"0x10/0xff/1\", table = 100, priority = 3 }",
                "    { to = \"198.18.106.0/24\", type = blackhole, table = 100, priority = 4 }",
                "  ]",
                "}")));
        String p = "r.conf:%d: vipkeeper.vrrp.instances.web.";
        assertEquals(List.of(
                p.formatted(4) + "virtual-routes[0].to: \"198.18.105.1/24\" has host bits set: write 198.18.105.0/24",
                p.formatted(5) + "virtual-routes[1].via: 2001:db8::1 is IPv6 but the route's destination is IPv4",
                p.formatted(6) + "virtual-routes[2].via: a blackhole route has no next hop: leave via out",
                p.formatted(7) + "virtual-routes[3]: a unicast route needs via or interface (or type = blackhole |"
                        + " unreachable | prohibit | throw)",
                p.formatted(8) + "virtual-routes[4].table: expected 1..4294967295 or one of default, local, main, got"
                        + " \"nosuch\"",
                p.formatted(8) + "virtual-routes[4].onlink: unknown key",
                p.formatted(9) + "virtual-routes[5]: missing required key to",
                p.formatted(10) + "virtual-routes[6]: expected a block { ... }, got \"198.18.105.0/24\"",
                p.formatted(13) + "virtual-rules[0]: a rule of type table needs a table (the table it looks up)",
                p.formatted(14) + "virtual-rules[1].to: mixes IPv4 and IPv6 with from",
                p.formatted(15) + "virtual-rules[2].fwmark: \"0x10/0xff/1\" is not MARK[/MASK] (each 0..0xffffffff,"
                        + " decimal or 0x hex)",
                p.formatted(16) + "virtual-rules[3].table: a blackhole rule looks up no table: leave table out"),
                problems(e));
    }

    @Test
    void theSamplePassesCheck() throws Exception {
        Path sample = Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"), "samples", "vrrp-routes.conf");
        VrrpInstance i = ConfigLoader.load(sample).vrrp().instances().get("web");
        assertEquals(3, i.routes().size());
        assertEquals(prefix("::/0"), i.routes().get(2).to());
        assertEquals(2, i.rules().size());
    }
}
