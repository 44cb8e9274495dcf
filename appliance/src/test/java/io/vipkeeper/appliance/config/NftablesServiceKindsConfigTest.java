package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Firewall-mark, SCTP and multiport services checked against the nftables engine, and what it or IPVS refuses. */
class NftablesServiceKindsConfigTest {
    @TempDir
    Path dir;

    private Path write(String... lines) {
        return ConfigFiles.write(dir, "kinds.conf", String.join("\n", lines) + "\n");
    }

    private static Settings nftables(Path f) throws InvalidConfigException {
        return ConfigLoader.load(f, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
    }

    private static List<String> problems(InvalidConfigException e) {
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message()).toList();
    }

    @Test
    void anIpvsFileWithFwmarkAndSctpServicesRunsOnNftablesToo() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.marked { fwmark = 7",
                "  real-servers = [{ address = \"198.18.0.13\", port = 8080 }, { address = \"198.18.0.14\", port = 8080 }] }",
                "vipkeeper.ipvs.virtual-servers.keep-port { fwmark = 8, health-check.connect-port = 8080",
                "  real-servers = [{ address = \"198.18.0.13\" }, { address = \"198.18.0.14\" }] }",
                "vipkeeper.ipvs.virtual-servers.signalling { address = \"198.18.0.100\", port = 2905, protocol = sctp",
                "  real-servers = [{ address = \"198.18.0.13\" }] }");
        Settings s = nftables(f);
        assertEquals(ServiceKey.ofFwmark(7, false), s.ipvs().virtualServers().get("marked").key());
        assertEquals(0, s.ipvs().virtualServers().get("keep-port").realServers().get(0).port());
        assertEquals(TransportProtocol.SCTP, s.ipvs().virtualServers().get("signalling").protocol());
        assertEquals(s.ipvs().virtualServers().keySet(), ConfigLoader.load(f).ipvs().virtualServers().keySet());
    }

    @Test
    void aMarkServiceMixingRealServersWithAndWithoutAPortIsRefusedOnNftablesAtItsLine() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.marked {",
                "  fwmark = 7, health-check.connect-port = 8080",
                "  real-servers = [{ address = \"198.18.0.13\", port = 8080 }, { address = \"198.18.0.14\" }]",
                "}");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> nftables(f));
        assertEquals(List.of("kinds.conf:3: vipkeeper.ipvs.virtual-servers.marked.real-servers: the nftables data plane has no"
                + " firewall-mark services whose real servers mix a port of their own with none (give all or none a port)"),
                problems(e));
        assertEquals(2, ConfigLoader.load(f).ipvs().virtualServers().get("marked").realServers().size(), "IPVS mixes them");
    }

    @Test
    void aPortListIsOneServiceOnNftablesAndAProblemAtItsLineOnIpvs() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.web {",
                "  address = \"198.18.0.100\"",
                "  ports = [443, 80, \"8000-8100\"]",
                "  real-servers = [{ address = \"198.18.0.13\", port = 8080 }] }");
        VirtualServer web = nftables(f).ipvs().virtualServers().get("web");
        assertEquals(ServiceKey.ofPorts(TransportProtocol.TCP, web.address().orElseThrow(), PortList.parse("80,443,8000-8100")), web.key());
        assertEquals("tcp 198.18.0.100:80,443,8000-8100", web.identity());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(f, ConfigCache.NONE, choice -> IpvsKernel.CAPABILITIES));
        assertEquals(List.of("kinds.conf:3: vipkeeper.ipvs.virtual-servers.web.ports: the ipvs data plane has no port lists (no"
                + " multiport services): mark the ports with a rule and use a fwmark service instead"), problems(e));
    }

    @Test
    void badPortListsAreProblemsAtTheirLines() {
        Path f = write("vipkeeper.ipvs.virtual-servers.both { address = \"198.18.0.100\", port = 80,",
                "  ports = [81] }",
                "vipkeeper.ipvs.virtual-servers.bad { address = \"198.18.0.101\", ports = [",
                "  80,",
                "  \"90-85\",",
                "  \"http\"] }",
                "vipkeeper.ipvs.virtual-servers.single { address = \"198.18.0.102\", port = 8050,",
                "  real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.virtual-servers.range { address = \"198.18.0.102\", ports = [\"8000-8100\"],",
                "  real-servers = [{ address = \"198.18.0.13\", port = 8050 }] }");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> nftables(f));
        assertEquals(List.of("kinds.conf:2: vipkeeper.ipvs.virtual-servers.both.ports: give port or ports, not both",
                "kinds.conf:5: vipkeeper.ipvs.virtual-servers.bad.ports[1]: not a port range 1..65535: 90-85",
                "kinds.conf:6: vipkeeper.ipvs.virtual-servers.bad.ports[2]: \"http\" is not a port or a range A-B",
                "kinds.conf:9: vipkeeper.ipvs.virtual-servers.range: tcp 198.18.0.102:8000-8100 shares a port with virtual server"
                        + " single"),
                problems(e));
    }
}
