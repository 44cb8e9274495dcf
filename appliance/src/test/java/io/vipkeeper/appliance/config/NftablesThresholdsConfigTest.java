package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** upper-threshold on the nftables engine: taken for nat of one address and port, refused at its line where no count is known. */
class NftablesThresholdsConfigTest {
    @TempDir
    Path dir;

    private Path write(String... lines) {
        return ConfigFiles.write(dir, "thresh.conf", String.join("\n", lines) + "\n");
    }

    private static Settings nftables(Path f) throws InvalidConfigException {
        return ConfigLoader.load(f, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
    }

    private static List<String> problems(InvalidConfigException e) {
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message()).toList();
    }

    @Test
    void aNatRealServersThresholdsAreTaken() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.web { address = \"198.18.176.100\", port = 80",
                "  real-servers = [{ address = \"198.18.176.11\", upper-threshold = 100, lower-threshold = 50 }] }");
        RealServer rs = nftables(f).ipvs().virtualServers().get("web").realServers().get(0);
        assertEquals(100, rs.upperThreshold());
        assertEquals(50, rs.lowerThreshold());
    }

    @Test
    void drAndMarkServicesAreRefusedAtTheThresholdsLine() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.direct { address = \"198.18.176.100\", port = 80, scheduler = mh,",
                "  forwarding = dr",
                "  real-servers = [{ address = \"198.18.176.11\",",
                "    upper-threshold = 100 }] }",
                "vipkeeper.ipvs.virtual-servers.marked { fwmark = 7",
                "  real-servers = [{ address = \"198.18.176.12\", port = 8080, upper-threshold = 5 }] }");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> nftables(f));
        assertEquals(List.of("thresh.conf:4: vipkeeper.ipvs.virtual-servers.direct.real-servers[0].upper-threshold: the nftables"
                + " data plane has no connection thresholds for forwarding dr: it counts a real server's connections in conntrack,"
                + " which dr bypasses (it forwards in netdev ingress); use nat, or set data-plane = ipvs",
                "thresh.conf:6: vipkeeper.ipvs.virtual-servers.marked.real-servers[0].upper-threshold: the nftables data plane"
                        + " has no connection thresholds in firewall-mark or port-list services: it counts a real server's"
                        + " connections by VIP and port; give the virtual server one port"), problems(e));
        assertEquals(2, ConfigLoader.load(f).ipvs().virtualServers().size(), "IPVS has them");
    }
}
