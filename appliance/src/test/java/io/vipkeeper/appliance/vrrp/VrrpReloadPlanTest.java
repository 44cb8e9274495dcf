package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.VrrpSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reload decision per instance, from pairs of real config files. */
class VrrpReloadPlanTest {
    @TempDir
    Path dir;
    private int files;

    private VrrpSettings conf(String body) throws Exception {
        Path f = dir.resolve("c" + files++ + ".conf");
        Files.writeString(f, "vipkeeper.vrrp {\n" + body + "\n}\n");
        return ConfigLoader.load(f).vrrp();
    }

    private static final String A = "a { interface = eth0, virtual-router-id = 1, virtual-ips = [\"198.18.0.1\"]";
    private static final String B = "b { interface = eth0, virtual-router-id = 2, virtual-ips = [\"198.18.0.2\"]";

    @Test
    void decisions() throws Exception {
        VrrpSettings old = conf("instances { " + A + " }\n " + B + " } }");
        assertEquals(new VrrpReloadPlan(List.of("a", "b"), List.of(), List.of(), List.of(), List.of()),
                VrrpReloadPlan.between(old, conf("instances { " + A + " }\n " + B + " } }")));
        assertEquals(new VrrpReloadPlan(List.of("b"), List.of("a"), List.of(), List.of(), List.of()),
                VrrpReloadPlan.between(old, conf("instances { " + A + ", priority = 50, preempt = false }\n " + B + " } }")));
        assertEquals(new VrrpReloadPlan(List.of("b"), List.of(), List.of("a"), List.of(), List.of()),
                VrrpReloadPlan.between(old, conf("instances { " + A + ", unicast-peers = [\"198.18.0.9\"] }\n " + B + " } }")));
        assertEquals(new VrrpReloadPlan(List.of("a"), List.of(), List.of(), List.of("c"), List.of("b")),
                VrrpReloadPlan.between(old, conf("instances { " + A + " }\n c { interface = eth0, virtual-router-id = 3, virtual-ips = [\"198.18.0.3\"] } }")));
    }

    @Test
    void aNewSyncGroupRestartsItsMembersAndAChangedScriptItsUsers() throws Exception {
        VrrpSettings old = conf("scripts { s { command = [\"/bin/true\"] } }\n instances { " + A
                + ", track-scripts = [s] }\n " + B + " } }");
        assertEquals(List.of("a", "b"), VrrpReloadPlan.between(old, conf("scripts { s { command = [\"/bin/true\"] } }\n instances { "
                + A + ", track-scripts = [s] }\n " + B + " } }\n sync-groups { g = [a, b] }")).restart());
        assertEquals(List.of("a"), VrrpReloadPlan.between(old, conf("scripts { s { command = [\"/bin/false\"] } }\n instances { "
                + A + ", track-scripts = [s] }\n " + B + " } }")).restart());
    }
}
