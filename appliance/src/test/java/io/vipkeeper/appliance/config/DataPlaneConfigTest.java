package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vipkeeper.data-plane, the engine's default scheduler, and the engine check at file:line. */
class DataPlaneConfigTest {
    /** Shaped like the nftables engine's: no lc, no dr, no options, wrr by default. */
    private static final Capabilities SMALL = new Capabilities("small", EnumSet.of(Scheduler.RR, Scheduler.WRR),
            Set.of(), EnumSet.of(Forwarding.NAT), Set.of(), EnumSet.of(TransportProtocol.TCP), false, Set.of(),
            Scheduler.WRR);

    @TempDir
    Path dir;

    private Path write(String... lines) {
        return ConfigFiles.write(dir, "dp.conf", String.join("\n", lines) + "\n");
    }

    @Test
    void aServiceWithoutASchedulerGetsTheEnginesDefault() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,",
                "  real-servers = [{ address = \"198.18.0.13\" }] }");
        Settings small = ConfigLoader.load(f, ConfigCache.NONE, choice -> SMALL);
        assertEquals(Scheduler.WRR, small.ipvs().virtualServers().get("web").scheduler());
        assertEquals(new Settings.DataPlane(DataPlaneChoice.AUTO, "small"), small.dataPlane());
        Settings any = ConfigLoader.load(f);
        assertEquals(Scheduler.WLC, any.ipvs().virtualServers().get("web").scheduler());
    }

    @Test
    void theFileChoiceReachesTheResolverAndWhatTheEngineLacksIsReportedAtItsLine() {
        Path f = write("vipkeeper.data-plane = nftables",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80",
                "  persistence.timeout = 60s",
                "  one-packet = false",
                "  real-servers = [{ address = \"198.18.0.13\", upper-threshold = 9 }] }",
                "vipkeeper.ipvs.sync-daemon { instance = web }",
                "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.0.100/24\"] }");
        List<DataPlaneChoice> asked = new java.util.ArrayList<>();
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(f, ConfigCache.NONE, choice -> {
                    asked.add(choice);
                    return SMALL;
                }));
        assertEquals(List.of(DataPlaneChoice.NFTABLES), asked);
        assertEquals(List.of(
                "dp.conf:3: vipkeeper.ipvs.virtual-servers.web.persistence: the small data plane has no persistence",
                "dp.conf:5: vipkeeper.ipvs.virtual-servers.web.real-servers[0].upper-threshold: the small data plane"
                        + " has no connection thresholds",
                "dp.conf:6: vipkeeper.ipvs.sync-daemon: the small data plane has no connection sync daemon"),
                e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message())
                        .toList());
    }

    @Test
    void aChoiceTheResolverCannotHonourIsAProblemAtTheDataPlaneLine() {
        Path f = write("vipkeeper {", "  data-plane = ipvs", "  allow-empty = true", "}");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(f, ConfigCache.NONE, choice -> {
                    throw new IllegalArgumentException("this daemon runs the nftables data plane");
                }));
        assertEquals(2, e.problems().get(0).line());
        assertEquals("vipkeeper.data-plane: this daemon runs the nftables data plane", e.problems().get(0).message());
    }

    @Test
    void aCachedReadingIsNotReusedForAnotherEngine() throws Exception {
        Path f = write("vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,",
                "  real-servers = [{ address = \"198.18.0.13\" }] }");
        ConfigCache cache = ConfigCache.create();
        assertEquals(Scheduler.WLC, ConfigLoader.load(f, cache).ipvs().virtualServers().get("web").scheduler());
        assertEquals(Scheduler.WRR, ConfigLoader.load(f, cache, c -> SMALL).ipvs().virtualServers().get("web")
                .scheduler());
    }
}
