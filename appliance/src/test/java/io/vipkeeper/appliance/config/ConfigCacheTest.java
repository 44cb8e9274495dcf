package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A load through the cache equals a fresh load, and reuses exactly what did not change. */
class ConfigCacheTest {
    @TempDir
    Path dir;

    private Path main() throws Exception {
        Files.writeString(dir.resolve("web.conf"), "web { address = \"198.18.0.100\", port = 80, real-servers = ["
                + "{ address = \"198.18.1.1\" }] }\n");
        Files.writeString(dir.resolve("dns.conf"), "dns { address = \"198.18.0.100\", port = 53, protocol = udp,"
                + " real-servers = [{ address = \"198.18.1.1\" }] }\n");
        return Files.writeString(dir.resolve("vipkeeper.conf"), "vipkeeper.ipvs.virtual-servers {\n"
                + "  include \"web.conf\"\n  include \"dns.conf\"\n}\n");
    }

    @Test
    void unchangedIncludesAndVirtualServersAreReusedChangedOnesReread() throws Exception {
        Path f = main();
        ConfigCache cache = ConfigCache.create();
        Settings first = ConfigLoader.load(f, cache);
        assertEquals(0, cache.parseHits());
        Settings second = ConfigLoader.load(f, cache);
        assertEquals(2, cache.parseHits());
        assertEquals(2, cache.readHits());
        assertSame(first.ipvs().virtualServers().get("web"), second.ipvs().virtualServers().get("web"));
        assertEquals(ConfigLoader.load(f).ipvs(), second.ipvs());

        Files.writeString(dir.resolve("web.conf"), "web { address = \"198.18.0.100\", port = 80, real-servers = ["
                + "{ address = \"198.18.1.1\", weight = 5 }] }\n");
        Settings third = ConfigLoader.load(f, cache);
        assertEquals(3, cache.parseHits(), "dns.conf only");
        assertEquals(3, cache.readHits(), "dns only");
        assertEquals(5, third.ipvs().virtualServers().get("web").realServers().get(0).weight());
        assertEquals(ConfigLoader.load(f).ipvs(), third.ipvs());
    }

    @Test
    void virtualServersOfTheMainFileAreNotKeptSinceTheyAreParsedAnewEveryLoad() throws Exception {
        // Kept, they held the main file's whole parse tree between reloads (most of the heap at
        // 100 x 100) without ever being reused: a fresh parse never gives the very same block.
        Path f = main();
        Files.writeString(f, "vipkeeper.ipvs.virtual-servers {\n  include \"web.conf\"\n"
                + "  ssh { address = \"198.18.0.100\", port = 22, real-servers = [{ address = \"198.18.1.1\" }] }\n}\n");
        ConfigCache cache = ConfigCache.create();
        ConfigLoader.load(f, cache);
        assertEquals(1, cache.keptReadings(), "web's, from the kept parse of web.conf");
        Settings second = ConfigLoader.load(f, cache);
        assertEquals(1, cache.readHits());
        assertEquals(ConfigLoader.load(f).ipvs(), second.ipvs());
    }

    @Test
    void changedDefaultsInTheMainFileRereadEveryVirtualServer() throws Exception {
        Path f = main();
        ConfigCache cache = ConfigCache.create();
        ConfigLoader.load(f, cache);
        Files.writeString(f, Files.readString(f) + "vipkeeper.ipvs.real-server-defaults.weight = 7\n");
        Settings s = ConfigLoader.load(f, cache);
        assertEquals(0, cache.readHits());
        assertEquals(7, s.ipvs().virtualServers().get("dns").realServers().get(0).weight());
    }

    @Test
    void aVirtualServerWithAProblemIsReportedAgainOnTheNextLoad() throws Exception {
        Path f = main();
        Files.writeString(dir.resolve("dns.conf"), "dns { address = \"198.18.0.100\", port = 53, protocol = udp,"
                + " real-servers = [{ address = \"198.18.1.1\", weight = -1 }] }\n");
        ConfigCache cache = ConfigCache.create();
        InvalidConfigException a = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(f, cache));
        InvalidConfigException b = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(f, cache));
        assertEquals(a.problems(), b.problems());
        assertTrue(b.problems().get(0).format().contains("dns.conf:1:"), b.problems().toString());
    }

    @Test
    void aFileThatIncludesAnotherIsNotKeptSinceTheInnerOneMayChange() throws Exception {
        Files.writeString(dir.resolve("inner.conf"), "weight = 2\n");
        Files.writeString(dir.resolve("web.conf"), "web { address = \"198.18.0.100\", port = 80, real-servers = ["
                + "{ address = \"198.18.1.1\", include \"inner.conf\" }] }\n");
        Path f = Files.writeString(dir.resolve("vipkeeper.conf"), "vipkeeper.ipvs.virtual-servers {\n"
                + "  include \"web.conf\"\n}\n");
        ConfigCache cache = ConfigCache.create();
        ConfigLoader.load(f, cache);
        Files.writeString(dir.resolve("inner.conf"), "weight = 3\n");
        Settings s = ConfigLoader.load(f, cache);
        assertEquals(3, s.ipvs().virtualServers().get("web").realServers().get(0).weight());
    }
}
