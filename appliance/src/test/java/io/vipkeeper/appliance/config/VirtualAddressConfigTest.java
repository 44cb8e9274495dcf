package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtual-ips blocks with dev/scope/label/brd, and excluded-ips of either family. */
class VirtualAddressConfigTest {
    @TempDir
    Path dir;

    private Path write(String... lines) {
        return ConfigFiles.write(dir, "v.conf", String.join("\n", lines) + "\n");
    }

    private static List<String> problems(InvalidConfigException e) {
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message())
                .toList();
    }

    private static IpPrefix prefix(String text) {
        return Addresses.parsePrefix(text).orElseThrow();
    }

    @Test
    void blocksAndExcludedAddressesAreRead() throws Exception {
        VrrpInstance i = ConfigLoader.load(write(
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51",
                "  virtual-ips = [\"198.19.121.100/24\", { address = \"198.19.122.100/24\", interface = eth1,",
                "    scope = link, label = \"eth1:web\", broadcast = \"+\" }]",
                "  excluded-ips = [\"2001:2::121/64\", { address = \"198.19.123.100\", scope = host }]",
                "}")).vrrp().instances().get("web");
        assertEquals(List.of(prefix("198.19.121.100/24"), prefix("198.19.122.100/24")), i.virtualIps(),
                "the adverts carry the virtual IPs only");
        assertEquals(List.of(
                VirtualAddress.plain(prefix("198.19.121.100/24")),
                new VirtualAddress(prefix("198.19.122.100/24"), Optional.of("eth1"), AddressScope.LINK,
                        Optional.of("eth1:web"), Optional.of(InetAddress.getByName("198.19.122.255")), true),
                new VirtualAddress(prefix("2001:2::121/64"), Optional.empty(), AddressScope.GLOBAL, Optional.empty(),
                        Optional.empty(), false),
                new VirtualAddress(prefix("198.19.123.100/32"), Optional.empty(), AddressScope.HOST, Optional.empty(),
                        Optional.empty(), false)), i.addresses());
        assertEquals(false, i.isIpv6());
    }

    @Test
    void badOptionsAreReportedAtTheirLines() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(write(
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51",
                "  virtual-ips = [",
                "    { address = \"198.19.122.100/24\", label = \"eth1:web\" }",
                "    { address = \"198.19.122.101/24\", scope = world }",
                "    { address = \"2001:2::1/64\", broadcast = \"+\", scope = link }",
                "    { address = \"198.19.122.102/24\", brd = \"198.19.122.255\" }",
                "    { interface = eth1 }",
                "    42",
                "  ]",
                "  excluded-ips = [\"198.19.122.100/24\"]",
                "}")));
        assertEquals(List.of(
                "v.conf:4: vipkeeper.vrrp.instances.web.virtual-ips[0].label: \"eth1:web\" must be eth0 or start with"
                        + " \"eth0:\" (the interface the address goes on)",
                "v.conf:5: vipkeeper.vrrp.instances.web.virtual-ips[1].scope: unknown value \"world\"; valid: global,"
                        + " site, link, host, nowhere",
                "v.conf:6: vipkeeper.vrrp.instances.web.virtual-ips[2].scope: IPv6 addresses take their scope from the"
                        + " address (the kernel ignores it): leave it global",
                "v.conf:6: vipkeeper.vrrp.instances.web.virtual-ips[2].broadcast: IPv6 has no broadcast addresses",
                "v.conf:7: vipkeeper.vrrp.instances.web.virtual-ips[3].brd: unknown key",
                "v.conf:8: vipkeeper.vrrp.instances.web.virtual-ips[4]: missing required key address",
                "v.conf:9: vipkeeper.vrrp.instances.web.virtual-ips[5]: expected \"ADDR[/PREFIX]\" or a block { address"
                        + " = ..., interface = ..., scope = ..., label = ..., broadcast = ... }"),
                problems(e).stream().filter(p -> !p.contains("excluded-ips")).toList());
    }

    @Test
    void anAddressMayBeInOneListOfOneInstanceOnly() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(write(
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.19.121.100/24\"]",
                "  excluded-ips = [\"198.19.121.100/32\"]",
                "}",
                "vipkeeper.vrrp.instances.api {",
                "  interface = eth0, virtual-router-id = 52, virtual-ips = [\"198.19.121.101/24\"]",
                "  excluded-ips = [\"2001:2::121/64\"]",
                "}",
                "vipkeeper.vrrp.instances.db {",
                "  interface = eth0, virtual-router-id = 53, virtual-ips = [\"198.19.121.102/24\"]",
                "  excluded-ips = [\"2001:2::121/64\"]",
                "}")));
        assertEquals(List.of(
                "v.conf:3: vipkeeper.vrrp.instances.web.excluded-ips[0]: 198.19.121.100/32 is listed twice (first at 2)",
                "v.conf:11: vipkeeper.vrrp.instances.db.excluded-ips: 2001:2::121 is already a virtual IP of instance api"),
                problems(e));
    }
}
