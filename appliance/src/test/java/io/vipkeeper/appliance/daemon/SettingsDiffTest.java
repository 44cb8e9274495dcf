package io.vipkeeper.appliance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsDiffTest {
    private static final String BASE = String.join("\n",
            "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.0.100\"] }",
            "vipkeeper.vrrp.instances.api { interface = eth0, virtual-router-id = 52, virtual-ips = [\"198.18.0.101\"] }",
            "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80, real-servers = [{ address = \"198.18.0.13\" }] }",
            "");

    @TempDir
    Path dir;

    private Settings load(String text) throws Exception {
        Path f = Files.createTempFile(dir, "c", ".conf");
        Files.writeString(f, text);
        return ConfigLoader.load(f);
    }

    @Test
    void sameContentIsNoChangeEvenFromAnotherFile() throws Exception {
        SettingsDiff d = SettingsDiff.between(load(BASE), load(BASE));
        assertTrue(d.isEmpty());
        assertEquals("no changes", d.toString());
    }

    @Test
    void onlyTheTouchedEntriesAreReported() throws Exception {
        Settings before = load(BASE);
        Settings after = load(BASE.replace("virtual-router-id = 52", "virtual-router-id = 52, priority = 120")
                .replace("{ address = \"198.18.0.13\" }", "{ address = \"198.18.0.13\", weight = 3 }")
                + "vipkeeper.vrrp.instances.db { interface = eth1, virtual-router-id = 60, virtual-ips = [\"198.18.0.102\"] }\n");
        SettingsDiff d = SettingsDiff.between(before, after);
        assertEquals(List.of("db"), d.instances().added());
        assertEquals(List.of(), d.instances().removed());
        assertEquals(List.of("api"), d.instances().changed());
        assertEquals(List.of("web"), d.virtualServers().changed());
        assertEquals(false, d.otherChanged());
    }

    @Test
    void removalsAndOtherSettings() throws Exception {
        SettingsDiff d = SettingsDiff.between(load(BASE),
                load(BASE.lines().filter(l -> !l.contains("instances.api")).reduce("", (a, b) -> a + b + "\n")
                        + "vipkeeper.log-level = debug\n"));
        assertEquals(List.of("api"), d.instances().removed());
        assertTrue(d.otherChanged());
        assertEquals("VRRP instances +[] -[api] ~[], virtual servers +[] -[] ~[], other settings changed", d.toString());
    }

    /** A reload applied these but reported "no changes" (issue 15). */
    @Test
    void everyKeyOutsideTheNamedEntriesCountsToo() throws Exception {
        for (String key : List.of("vipkeeper.ipvs.reconcile-interval = 7s", "vipkeeper.ipvs.drain-timeout = 9s",
                "vipkeeper.api.max-connections-per-client = 4")) {
            SettingsDiff d = SettingsDiff.between(load(BASE), load(BASE + key + "\n"));
            assertTrue(d.otherChanged(), key);
            assertTrue(!d.isEmpty(), key);
        }
    }
}
