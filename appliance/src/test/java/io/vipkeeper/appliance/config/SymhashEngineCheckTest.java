package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scheduler = symhash}: nftables' symmetric hash, which IPVS has not. */
class SymhashEngineCheckTest {
    @TempDir
    Path dir;

    private Path write() {
        return ConfigFiles.write(dir, "s.conf", String.join("\n",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.120.100\", port = 80,",
                "  scheduler = symhash",
                "  real-servers = [{ address = \"198.18.120.13\", weight = 2 }, { address = \"198.18.120.14\" }] }") + "\n");
    }

    @Test
    void nftablesTakesIt() throws Exception {
        VirtualServer web = ConfigLoader.load(write(), ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES)
                .ipvs().virtualServers().get("web");
        assertEquals(Scheduler.SYMHASH, web.scheduler());
    }

    @Test
    void ipvsRefusesItAtItsLineAndNamesSh() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(write(), ConfigCache.NONE, choice -> IpvsKernel.CAPABILITIES));
        assertEquals(List.of("s.conf:2: vipkeeper.ipvs.virtual-servers.web.scheduler: the ipvs data plane has no symmetric"
                        + " hash (symhash is nftables'): use sh"),
                e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message()).toList());
    }
}
