package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.DesiredService;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Config samples mapped to what goes into the kernel. */
class DesiredServiceTest {
    private static VirtualServer sample(String file, String name) throws Exception {
        Path p = Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"), "samples", file);
        return ConfigLoader.load(p).ipvs().virtualServers().get(name);
    }

    @Test
    void persistenceBecomesFlagTimeoutAndMask() throws Exception {
        DesiredService d = DesiredServices.of(sample("ipvs-persistence.conf", "shop"));
        ServiceSpec s = d.spec();
        assertEquals("lc", s.scheduler());
        assertEquals(ServiceSpec.PERSISTENT, s.flags());
        assertEquals(600, s.timeoutSeconds());
        assertEquals(0xffffff00L, s.netmask());
        assertEquals("TCP  198.18.0.100:443", s.key().toString());
        assertEquals(3, d.dests().size());
        assertEquals(2, d.dests().values().stream().mapToInt(x -> x.weight()).max().orElseThrow());
    }
}
