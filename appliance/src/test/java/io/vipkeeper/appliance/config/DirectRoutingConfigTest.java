package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dr on an engine without connection state (nftables): only sh and mh keep a connection on one
 * real server (IPv4 and IPv6); anything else is a problem at its line.
 */
class DirectRoutingConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String... lines) {
        Path f = ConfigFiles.write(dir, "dr.conf", String.join("\n", lines) + "\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(f, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES));
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message()).toList();
    }

    @Test
    void drWithAHashSchedulerIsAccepted() throws Exception {
        Path f = ConfigFiles.write(dir, "ok.conf", String.join("\n",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80, forwarding = dr, scheduler = mh",
                "  real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.virtual-servers.sh { address = \"198.18.0.100\", port = 81, scheduler = sh",
                "  real-servers = [{ address = \"198.18.0.13\", forwarding = dr }] }", ""));
        Settings s = ConfigLoader.load(f, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
        assertEquals(Scheduler.MH, s.ipvs().virtualServers().get("web").scheduler());
        assertEquals(Forwarding.DR, s.ipvs().virtualServers().get("sh").realServers().get(0).forwarding());
    }

    @Test
    void theNftablesDrSampleLoadsOnNftables() throws Exception {
        Path sample = Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"), "samples", "nftables-dr.conf");
        Settings s = ConfigLoader.load(sample, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
        assertEquals(Forwarding.DR, s.ipvs().virtualServers().get("web").forwarding());
    }

    @Test
    void drWithAnotherSchedulerIsAProblemAtTheSchedulerOrElseTheForwardingLine() {
        String why = ": it forwards dr without connection tracking, so only a hash of the client keeps a connection on"
                + " one real server; use sh or mh";
        assertEquals(List.of(
                "dr.conf:2: vipkeeper.ipvs.virtual-servers.rr.scheduler: the nftables data plane has no dr with scheduler rr" + why,
                "dr.conf:4: vipkeeper.ipvs.virtual-servers.dflt.forwarding: the nftables data plane has no dr with scheduler wrr"
                        + why),
                problems("vipkeeper.ipvs.virtual-servers.rr { address = \"198.18.0.100\", port = 80, forwarding = dr",
                        "  scheduler = rr",
                        "  real-servers = [{ address = \"198.18.0.13\" }] }",
                        "vipkeeper.ipvs.virtual-servers.dflt { address = \"198.18.0.100\", port = 81, forwarding = dr",
                        "  real-servers = [{ address = \"198.18.0.13\" }] }"));
    }

    @Test
    void drBesideNatInOneServiceIsAProblemAtItsRealServers() {
        assertEquals(List.of("dr.conf:3: vipkeeper.ipvs.virtual-servers.mixed.real-servers: the nftables data plane has no dr"
                + " beside other forwarding in one virtual server; give them all dr"),
                problems("vipkeeper.ipvs.virtual-servers.mixed { address = \"198.18.0.100\", port = 80, forwarding = dr",
                        "  scheduler = sh",
                        "  real-servers = [{ address = \"198.18.0.13\" }, { address = \"198.18.0.14\", forwarding = nat }] }"));
    }

    @Test
    void drOverIpv6IsAccepted() throws Exception {
        Path f = ConfigFiles.write(dir, "v6.conf", String.join("\n",
                "vipkeeper.ipvs.virtual-servers.v6 { address = \"2001:db8:176::100\", port = 80, forwarding = dr",
                "  scheduler = sh",
                "  real-servers = [{ address = \"2001:db8:176::13\" }] }", ""));
        Settings s = ConfigLoader.load(f, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
        assertEquals(Forwarding.DR, s.ipvs().virtualServers().get("v6").forwarding());
    }

    @Test
    void drOverIpv6WithAnotherSchedulerIsStillAProblem() {
        assertEquals(List.of("dr.conf:2: vipkeeper.ipvs.virtual-servers.v6.scheduler: the nftables data plane has no dr with"
                + " scheduler rr: it forwards dr without connection tracking, so only a hash of the client keeps a connection on"
                + " one real server; use sh or mh"),
                problems("vipkeeper.ipvs.virtual-servers.v6 { address = \"2001:db8:176::100\", port = 80, forwarding = dr",
                        "  scheduler = rr",
                        "  real-servers = [{ address = \"2001:db8:176::13\" }] }"));
    }
}
