package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistence on the nftables engine, which has it for services on one address and port, and for
 * IPv6 ones only while their real servers (and sorry server) share one port.
 */
class PersistenceEngineCheckTest {
    private static final Capabilities NFTABLES = NftablesDataPlane.CAPABILITIES;

    @TempDir
    Path dir;

    private Path write(String... lines) {
        return ConfigFiles.write(dir, "p.conf", String.join("\n", lines) + "\n");
    }

    @Test
    void anIpv4ServiceOnOnePortKeepsItsPersistence() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,",
                "  persistence { timeout = 300s, netmask = \"255.255.255.0\" }",
                "  real-servers = [{ address = \"198.18.0.13\" }] }");
        VirtualServer web = ConfigLoader.load(f, ConfigCache.NONE, choice -> NFTABLES).ipvs().virtualServers().get("web");
        assertEquals(new VirtualServer.Persistence(Duration.ofSeconds(300), 24), web.persistence());
    }

    @Test
    void anIpv6ServiceWhoseRealServersShareOnePortKeepsItsPersistence() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.six { address = \"2001:db8:184::100\", port = 80,",
                "  persistence { timeout = 300s, netmask = \"/64\" }",
                "  sorry-server = \"[2001:db8:184::9]:8080\"",
                "  real-servers = [{ address = \"2001:db8:184::13\", port = 8080 }, { address = \"2001:db8:184::14\", port = 8080 }] }");
        VirtualServer six = ConfigLoader.load(f, ConfigCache.NONE, choice -> NFTABLES).ipvs().virtualServers().get("six");
        assertEquals(new VirtualServer.Persistence(Duration.ofSeconds(300), 64), six.persistence());
        // IPVS records address and port: real servers on several ports are fine there.
        Path mixed = write("vipkeeper.ipvs.virtual-servers.six { address = \"2001:db8:184::100\", port = 80,",
                "  persistence.timeout = 60s",
                "  real-servers = [{ address = \"2001:db8:184::13\", port = 8080 }, { address = \"2001:db8:184::14\" }] }");
        assertEquals(2, ConfigLoader.load(mixed, ConfigCache.NONE, choice -> Capabilities.everything("ipvs")).ipvs()
                .virtualServers().get("six").realServers().size());
    }

    @Test
    void theIpv6SampleWithItsPerPrefixPersistenceLoadsOnNftables() throws Exception {
        Path sample = Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"), "samples", "ipvs-ipv6.conf");
        VirtualServer web6 = ConfigLoader.load(sample, ConfigCache.NONE, choice -> NFTABLES).ipvs().virtualServers().get("web6");
        assertEquals(new VirtualServer.Persistence(Duration.ofSeconds(60), 64), web6.persistence());
    }

    @Test
    void ipv6OverSeveralPortsAllPortsAndMarkPersistenceAreRefusedAtTheirLines() {
        Path f = write("vipkeeper.ipvs.virtual-servers.six { address = \"2001:db8:184::100\", port = 80,",
                "  persistence.timeout = 60s",
                "  real-servers = [{ address = \"2001:db8:184::13\", port = 8080 }, { address = \"2001:db8:184::14\" }] }",
                "vipkeeper.ipvs.virtual-servers.all {",
                "  address = \"198.18.0.100\"",
                "  port = 0",
                "  persistence.timeout = 60s",
                "  real-servers = [{ address = \"198.18.0.13\", port = 80 }] }",
                "vipkeeper.ipvs.virtual-servers.mark {",
                "  fwmark = 7",
                "  persistence.timeout = 60s",
                "  real-servers = [{ address = \"198.18.0.14\", port = 80 }] }");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(f, ConfigCache.NONE, choice -> NFTABLES));
        assertEquals(List.of(
                "p.conf:6: vipkeeper.ipvs.virtual-servers.all.port: the nftables data plane has no all-ports (port 0) services",
                "p.conf:3: vipkeeper.ipvs.virtual-servers.six.real-servers: the nftables data plane has no IPv6 persistence"
                        + " over real servers on different ports: it records an IPv6 client's real server by address only"
                        + " (nft 1.0.6 cannot record an IPv6 address . port); give the real servers and sorry server one port",
                "p.conf:11: vipkeeper.ipvs.virtual-servers.mark.persistence: the nftables data plane has no persistence of"
                        + " firewall-mark, port-list or dr services"),
                e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message())
                        .sorted((a, b) -> b.compareTo(a)).toList());
    }
}
