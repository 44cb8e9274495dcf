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

    private VrrpReloadPlan from(VrrpSettings old, String body) throws Exception {
        return VrrpReloadPlan.between(old, conf(body));
    }

    @Test
    void decisions() throws Exception {
        VrrpSettings old = conf("instances { " + A + " }\n " + B + " } }");
        List<String> none = List.of();
        assertEquals(new VrrpReloadPlan(List.of("a", "b"), none, none, none, none, none),
                from(old, "instances { " + A + " }\n " + B + " } }"));
        assertEquals(new VrrpReloadPlan(List.of("b"), List.of("a"), none, none, none, none),
                from(old, "instances { " + A + ", priority = 50, preempt = false }\n " + B + " } }"));
        assertEquals(new VrrpReloadPlan(List.of("b"), none, List.of("a"), none, none, none),
                from(old, "instances { " + A + ", unicast-peers = [\"198.18.0.9\"] }\n " + B + " } }"));
        assertEquals(new VrrpReloadPlan(List.of("a"), none, none, none, List.of("c"), List.of("b")),
                from(old, "instances { " + A + " }\n c { interface = eth0, virtual-router-id = 3, virtual-ips = [\"198.18.0.3\"] } }"));
    }

    @Test
    void everyChangeShortOfInterfaceVridOrFamilyIsCarriedOver() throws Exception {
        VrrpSettings old = conf("instances { " + A + " }\n " + B + " } }");
        for (String change : List.of("garp { master-repeat = 3 }", "virtual-ips = [\"198.18.0.1\", \"198.18.0.7\"]",
                "version = 2, authentication { type = pass, password = s3cret }", "version = 2",
                "track-interfaces = [{ name = eth1, weight = -10 }]", "notify-script = \"/bin/true\"",
                "virtual-ips = [{ address = \"198.18.0.1\", interface = eth1, label = \"eth1:a\" }]",
                "excluded-ips = [\"2001:2::1/64\"]")) {
            assertEquals(List.of("a"), from(old, "instances { " + A + ", " + change + " }\n " + B + " } }").carry(),
                    change);
        }
        assertEquals(List.of("a"), from(old, "instances { " + A + ", virtual-router-id = 9 }\n " + B + " } }")
                .restart(), "another VRID is another router");
        assertEquals(List.of("a"), from(old, "instances { " + A + ", interface = eth1 }\n " + B + " } }")
                .restart(), "another interface is another router");
        assertEquals(List.of("a"), from(old, "instances { " + A + ", version = 3, virtual-ips = [\"fe80::1\"] }\n "
                + B + " } }").restart(), "another family is another router");
    }

    @Test
    void aChangedSyncGroupOrScriptCarriesOverItsMembersAndUsers() throws Exception {
        VrrpSettings old = conf("scripts { s { command = [\"/bin/true\"] } }\n instances { " + A
                + ", track-scripts = [s] }\n " + B + " } }");
        assertEquals(List.of("a", "b"), from(old, "scripts { s { command = [\"/bin/true\"] } }\n instances { "
                + A + ", track-scripts = [s] }\n " + B + " } }\n sync-groups { g = [a, b] }").carry());
        assertEquals(List.of("a"), from(old, "scripts { s { command = [\"/bin/false\"] } }\n instances { "
                + A + ", track-scripts = [s] }\n " + B + " } }").carry());
    }

    @Test
    void aGroupIsRebuiltWholeWhenOneMemberRestarts() throws Exception {
        String group = "\n sync-groups { g = [a, b] }";
        VrrpSettings old = conf("instances { " + A + " }\n " + B + " } }" + group);
        VrrpReloadPlan plan = from(old, "instances { " + A + ", virtual-router-id = 9 }\n " + B + ", priority = 50 } }"
                + group);
        assertEquals(List.of("a"), plan.restart());
        assertEquals(List.of("b"), plan.carry(), "retuned alone, carried over with its group");
        assertEquals(List.of(), plan.retune());
    }
}
