package io.vipkeeper.appliance.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.bgp.AnnounceDecision.DataPlaneView;
import io.vipkeeper.appliance.bgp.AnnounceDecision.Phase;
import io.vipkeeper.appliance.bgp.AnnounceDecision.Verdict;
import io.vipkeeper.appliance.config.ConfigCache;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The announce decision's truth table: every condition that withdraws, each on its own. */
class AnnounceDecisionTest {
    @TempDir
    Path dir;
    private InetAddress vip;
    private InetAddress other;
    private Collection<VirtualServer> servers;
    private DataPlaneView programmed;

    @BeforeEach
    void config() throws Exception {
        Path f = Files.writeString(dir.resolve("c.conf"), """
                vipkeeper.bgp.vips = ["198.18.0.100"]
                vipkeeper.ipvs.virtual-servers {
                  web { address = "198.18.0.100", port = 80, scheduler = mh, real-servers = [{ address = "198.18.0.13" }] }
                  tls { address = "198.18.0.100", port = 443, scheduler = mh, real-servers = [{ address = "198.18.0.13" }] }
                  marked { fwmark = 7, scheduler = mh
                    real-servers = [{ address = "198.18.0.13", port = 80 }, { address = "198.18.0.14", port = 80 }] }
                }
                """);
        servers = ConfigLoader.load(f, ConfigCache.NONE, c -> NftablesDataPlane.CAPABILITIES).ipvs().virtualServers().values();
        vip = InetAddress.getByName("198.18.0.100");
        other = InetAddress.getByName("198.18.0.101");
        programmed = new DataPlaneView(Optional.of(keys("web", "tls")), Optional.empty());
    }

    private Set<ServiceKey> keys(String... names) {
        return Set.of(names).stream().map(n -> servers.stream().filter(v -> v.name().equals(n)).findFirst().orElseThrow().key())
                .collect(java.util.stream.Collectors.toSet());
    }

    private Verdict decide(Phase phase, DataPlaneView view, Map<String, Boolean> quorums) {
        return AnnounceDecision.decide(vip, phase, servers, view, quorums);
    }

    @Test
    void runningProgrammedAndAtQuorumIsAnnounced() {
        assertEquals(new Verdict(true, "serving 2 virtual servers"), decide(Phase.RUNNING, programmed, Map.of("web", true, "tls", true)));
    }

    @Test
    void startingAndStoppingAreWithdrawnWhateverTheRest() {
        assertEquals(new Verdict(false, "starting"), decide(Phase.STARTING, programmed, Map.of()));
        assertEquals(new Verdict(false, "stopping"), decide(Phase.STOPPING, programmed, Map.of()));
    }

    @Test
    void aFailingOrUnprogrammedDataPlaneWithdraws() {
        assertEquals(new Verdict(false, "data plane failing: no libnftables"),
                decide(Phase.RUNNING, new DataPlaneView(Optional.of(keys("web", "tls")), Optional.of("no libnftables")), Map.of()));
        assertEquals(new Verdict(false, "data plane not programmed yet"), decide(Phase.RUNNING, DataPlaneView.NONE, Map.of()));
        assertEquals(new Verdict(false, "virtual server tls not in the data plane"),
                decide(Phase.RUNNING, new DataPlaneView(Optional.of(keys("web")), Optional.empty()), Map.of()));
    }

    @Test
    void oneVirtualServerOfTheAddressBelowQuorumWithdrawsIt() {
        assertEquals(new Verdict(false, "virtual server tls below quorum"),
                decide(Phase.RUNNING, programmed, Map.of("web", true, "tls", false)));
    }

    @Test
    void anAddressWithoutVirtualServersIsNeverAnnounced() {
        DataPlaneView all = new DataPlaneView(Optional.of(keys("web", "tls", "marked")), Optional.empty());
        assertEquals(new Verdict(false, "no virtual server on this address"),
                AnnounceDecision.decide(other, Phase.RUNNING, servers, DataPlaneView.NONE, Map.of()));
        // Issue 19: a VIP reached only through a fwmark service was announced with 0 of 2 backends up.
        assertEquals(new Verdict(false, "no virtual server on this address"),
                AnnounceDecision.decide(other, Phase.RUNNING, servers, all, Map.of("web", true, "tls", true, "marked", false)));
    }
}
