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
        assertEquals(List.of("api: priority 100 -> 120", "vrrp instance db added", "virtual server web 198.18.0.13:80: weight 1 -> 3"),
                d.words());
        assertEquals("api: priority 100 -> 120; vrrp instance db added; virtual server web 198.18.0.13:80: weight 1 -> 3"
                + " (VRRP: api retuned)", d.toString());
    }

    @Test
    void realServersAreMatchedByAddressAndPortAndValuesPrintedAsTheFileSpellsThem() throws Exception {
        String two = BASE.replace("real-servers = [{ address = \"198.18.0.13\" }]",
                "real-servers = [{ address = \"198.18.0.13\", port = 8080 }, { address = \"198.18.0.14\", port = 8080 }]");
        String changed = two.replace("{ address = \"198.18.0.13\", port = 8080 }, ", "")
                .replace("{ address = \"198.18.0.14\", port = 8080 }", "{ address = \"198.18.0.14\", port = 8080, weight = 5 }, { address = \"198.18.0.15\", port = 8080 }")
                .replace("virtual-router-id = 51,", "virtual-router-id = 51, advert-interval = 100ms,")
                + "vipkeeper.api.listen = \"\"\n";
        SettingsDiff d = SettingsDiff.between(load(two), load(changed));
        assertEquals(List.of("web: advert-interval 1s -> 100ms",
                "virtual server web 198.18.0.14:8080: weight 1 -> 5", "virtual server web 198.18.0.15:8080 added",
                "virtual server web 198.18.0.13:8080 removed", "api.listen 127.0.0.1:9180 -> none"), d.words());
    }

    @Test
    void aChangedSecretIsNamedNeverShown() throws Exception {
        String pass = BASE.replace("virtual-router-id = 51,", "virtual-router-id = 51, version = 2, authentication { type = pass, password = s3cret1 },");
        SettingsDiff d = SettingsDiff.between(load(pass), load(pass.replace("s3cret1", "s3cret2")));
        assertEquals(List.of("web: authentication changed"), d.words());
        assertTrue(!d.toString().contains("s3cret"), d.toString());
    }

    @Test
    void aChangedProgramIsNamedNeverItsCommandLine() throws Exception {
        String script = BASE.replace("virtual-router-id = 51,", "virtual-router-id = 51, notify-script = \"/bin/true --token=T1\",");
        SettingsDiff d = SettingsDiff.between(load(script), load(script.replace("--token=T1", "--token=T2")));
        assertEquals(List.of("web: notify-script changed"), d.words());
        assertTrue(!d.toString().contains("--token"), d.toString());
    }

    @Test
    void removalsAndOtherSettings() throws Exception {
        SettingsDiff d = SettingsDiff.between(load(BASE),
                load(BASE.lines().filter(l -> !l.contains("instances.api")).reduce("", (a, b) -> a + b + "\n")
                        + "vipkeeper.log-level = debug\n"));
        assertEquals(List.of("api"), d.instances().removed());
        assertTrue(d.otherChanged());
        assertEquals("vrrp instance api removed; log-level info -> debug", d.toString());
    }

    /** The api settings whose model differs from the file are said as the file says them. */
    @Test
    void apiSettingsAreSaidAsTheFileSpellsThem() throws Exception {
        SettingsDiff d = SettingsDiff.between(load(BASE), load(BASE + "vipkeeper.api.socket-read = control-group\n"));
        assertEquals(List.of("api.socket-read all -> control-group"), d.words());
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

    @Test
    void addressOptionsAndExcludedAddressesAreSaidAsTheFileWritesThem() throws Exception {
        String before = BASE.replace("virtual-ips = [\"198.18.0.100\"] }", "virtual-ips = [\"198.18.0.100\"],"
                + " excluded-ips = [\"2001:2::1/64\"] }");
        String after = BASE.replace("virtual-ips = [\"198.18.0.100\"] }", "virtual-ips = [{ address = \"198.18.0.100\","
                + " interface = eth1, scope = link }] }");
        assertEquals(List.of("web: excluded-ips [2001:2::1/64] -> []",
                "web: virtual-ips [198.18.0.100/32] -> [198.18.0.100/32 dev eth1 scope link]"),
                SettingsDiff.between(load(before), load(after)).words());
    }
}
