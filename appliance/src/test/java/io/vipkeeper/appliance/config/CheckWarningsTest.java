package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each warning of {@link CheckWarnings} on a host described in the test (the real one: CheckCommandTest). */
class CheckWarningsTest {
    @TempDir
    Path dir;

    /** A host with these interfaces and addresses (empty: they cannot be known). */
    private record Host(Optional<Set<String>> interfaces, Optional<Map<InetAddress, String>> addresses)
            implements HostNetwork {
    }

    private static final Host ETH0 = new Host(Optional.of(Set.of("lo", "eth0")),
            Optional.of(Map.of(ip("127.0.0.1"), "lo", ip("198.18.0.11"), "eth0")));

    private static InetAddress ip(String s) {
        return Addresses.parse(s).orElseThrow();
    }

    private List<String> warnings(String text, HostNetwork host) throws Exception {
        Path f = ConfigFiles.write(dir, "w.conf", text);
        Settings settings = ConfigLoader.load(f);
        return CheckWarnings.of(settings, ConfigFactory.parseFile(f.toFile()).withFallback(ConfigLoader.reference())
                .resolve(ConfigResolveOptions.noSystem()).root(), UnaryOperator.identity(), host);
    }

    private String at(int line) {
        return "warning: " + dir.resolve("w.conf") + ":" + line + ": ";
    }

    @Test
    void interfacesTheHostLacksAreWarnedAboutWhereTheyAreNamed() throws Exception {
        List<String> w = warnings(String.join("\n",
                "vipkeeper.vrrp.instance-defaults.interface = eth1",
                "vipkeeper.vrrp.instances.web {",
                "  virtual-router-id = 51, virtual-ips = [\"198.18.0.100/24\"]",
                "  track-interfaces = [\"eth0\", { name = \"eth2\", weight = -10 }]",
                "}",
                "vipkeeper.vrrp.instances.db { interface = eth0, virtual-router-id = 52, virtual-ips = [\"198.18.0.101\"] }",
                "vipkeeper.ipvs.sync-daemon { instance = db, interface = bond0 }", ""), ETH0);
        assertEquals(List.of(
                at(1) + "vipkeeper.vrrp.instances.web.interface: this host has no interface eth1 (the instance stays in"
                        + " FAULT until it appears)",
                at(4) + "vipkeeper.vrrp.instances.web.track-interfaces[1]: this host has no interface eth2 (tracked as"
                        + " down until it appears)",
                at(7) + "vipkeeper.ipvs.sync-daemon.interface: this host has no interface bond0 (the sync daemon cannot"
                        + " start until it appears)"), w);
    }

    @Test
    void theRealServerInterfaceMattersOnlyWithVipsAndIsNamedAtThemWhenLeftAtItsDefault() throws Exception {
        Host none = new Host(Optional.of(Set.of("lo")), Optional.of(Map.of()));
        assertEquals(List.of(at(2) + "vipkeeper.real-server.interface: this host has no interface eth0 (vipkeeper"
                + " realserver up cannot set its ARP settings)"),
                warnings("# a backend's file\nvipkeeper.real-server.vips = [\"198.18.0.100\"]\n", none));
        assertEquals(List.of(), warnings("vipkeeper.real-server.vips = [\"198.18.0.100\"]\n", ETH0));
    }

    @Test
    void aVirtualServerAddressNoInstanceOwnsIsWarnedAboutOnlyWhereInstancesOwnAddresses() throws Exception {
        String servers = String.join("\n",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80, real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.virtual-servers.api {",
                "  address = \"198.18.0.50\", port = 80, real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.virtual-servers.mark { fwmark = 7, real-servers = [{ address = \"198.18.0.13\", port = 80 }] }",
                "");
        String instance = "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51,"
                + " virtual-ips = [\"198.18.0.100/24\"] }\n";
        assertEquals(List.of(at(3) + "vipkeeper.ipvs.virtual-servers.api.address: 198.18.0.50 is in no VRRP instance's"
                + " virtual-ips (nothing here puts it on this host, and only an address the host holds is balanced)"),
                warnings(servers + instance, ETH0));
        // Without VRRP the addresses are put on the host some other way.
        assertEquals(List.of(), warnings(servers, ETH0));
        // A bgp VIP is put on the host by the daemon's bgp device.
        assertEquals(List.of(), warnings(servers + instance
                + "vipkeeper.bgp { vips = [\"198.18.0.50\"], allow-any-scheduler = true }\n", ETH0));
    }

    @Test
    void peerSettingsThatCannotMatchOnThisHostAreWarnedAbout() throws Exception {
        String text = String.join("\n",
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.0.100/24\"]",
                "  unicast-peers = [\"198.18.0.12\",",
                "    \"198.18.0.11\"]",
                "  unicast-source = \"127.0.0.1\"",
                "}", "");
        assertEquals(List.of(
                at(4) + "vipkeeper.vrrp.instances.web.unicast-peers[1]: 198.18.0.11 is this host's own address (on"
                        + " eth0): unicast-peers lists the other nodes (a file copied from another node?)",
                at(5) + "vipkeeper.vrrp.instances.web.unicast-source: 127.0.0.1 is not an address of eth0 on this host"
                        + " (adverts cannot be sent from it)"), warnings(text, ETH0));
        assertEquals(List.of(), warnings(text.replace("127.0.0.1", "198.18.0.11").replace("\"198.18.0.11\"]", "\"198.18.0.13\"]"),
                ETH0));
    }

    @Test
    void aHostWhoseNetworkCannotBeReadGetsNoHostWarnings() throws Exception {
        Host unknown = new Host(Optional.empty(), Optional.empty());
        assertEquals(List.of(), warnings(String.join("\n",
                "vipkeeper.vrrp.instances.web { interface = eth9, virtual-router-id = 51, virtual-ips = [\"198.18.0.100\"],",
                "  unicast-peers = [\"198.18.0.11\"], unicast-source = \"198.18.0.99\", track-interfaces = [eth8] }", ""),
                unknown));
    }

    @Test
    void anAddressOnAnInterfaceTheHostLacksIsAProblemAtItsEntryAndAnExcludedAddressIsOwned() throws Exception {
        String text = String.join("\n",
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51",
                "  virtual-ips = [\"198.18.0.100/24\", { address = \"198.18.0.101/24\", interface = eth0 }]",
                "  excluded-ips = [\"2001:2::100/64\",",
                "    { address = \"198.18.1.100/24\", interface = eth3 }]",
                "}",
                "vipkeeper.ipvs.virtual-servers.v6 { address = \"2001:2::100\", port = 80, real-servers = [] }", "");
        Path f = ConfigFiles.write(dir, "missing.conf", text);
        Settings settings = ConfigLoader.load(f, ConfigCache.NONE, DataPlaneResolver.ANY, NodeChoice.HOST_NAME, () -> {
        }, HostNetwork.UNKNOWN);
        com.typesafe.config.ConfigObject tree = ConfigFactory.parseFile(f.toFile()).withFallback(ConfigLoader.reference())
                .resolve(ConfigResolveOptions.noSystem()).root();
        // Owned: no warning about the v6 virtual server's address; check warns about the missing
        // interface, and the daemon's load refuses it.
        assertEquals(List.of("warning: " + f + ":5: vipkeeper.vrrp.instances.web.excluded-ips[1]: this host has no"
                + " interface eth3 (the daemon refuses to start or reload with 198.18.1.100/24 there until it appears)"),
                CheckWarnings.of(settings, tree, UnaryOperator.identity(), ETH0));
        List<ConfigProblem> p = CheckWarnings.missingAddressInterfaces(settings, tree, UnaryOperator.identity(), ETH0);
        assertEquals(List.of("vipkeeper.vrrp.instances.web.excluded-ips[1]: this host has no interface eth3 to put"
                + " 198.18.1.100/24 on"), p.stream().map(ConfigProblem::message).toList());
        assertEquals(5, p.get(0).line());
    }

    @Test
    void aVirtualRouteThroughAnInterfaceTheHostLacksIsAProblemAtItsEntry() throws Exception {
        String text = String.join("\n",
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.0.100/24\"]",
                "  virtual-routes = [{ to = \"198.18.8.0/24\", interface = eth0 },",
                "    { to = \"198.18.9.0/24\", via = \"198.18.3.1\", interface = eth3 }]",
                "}", "");
        Path f = ConfigFiles.write(dir, "route.conf", text);
        Settings settings = ConfigLoader.load(f, ConfigCache.NONE, DataPlaneResolver.ANY, NodeChoice.HOST_NAME, () -> {
        }, HostNetwork.UNKNOWN);
        com.typesafe.config.ConfigObject tree = ConfigFactory.parseFile(f.toFile()).withFallback(ConfigLoader.reference())
                .resolve(ConfigResolveOptions.noSystem()).root();
        assertEquals(List.of("warning: " + f + ":4: vipkeeper.vrrp.instances.web.virtual-routes[1]: this host has no"
                + " interface eth3 (the daemon refuses to start or reload with the route 198.18.9.0/24 through it until"
                + " it appears)"), CheckWarnings.of(settings, tree, UnaryOperator.identity(), ETH0));
        List<ConfigProblem> p = CheckWarnings.missingAddressInterfaces(settings, tree, UnaryOperator.identity(), ETH0);
        assertEquals(List.of("vipkeeper.vrrp.instances.web.virtual-routes[1]: this host has no interface eth3 for the"
                + " route 198.18.9.0/24 via 198.18.3.1 dev eth3 table 254 proto 18"),
                p.stream().map(ConfigProblem::message).toList());
        assertEquals(4, p.get(0).line());
    }
}
