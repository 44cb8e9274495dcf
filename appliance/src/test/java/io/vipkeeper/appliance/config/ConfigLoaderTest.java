package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static List<String> problems(Path file) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));
        return e.problems().stream().map(ConfigProblem::format).toList();
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.conf");
        assertEquals(List.of(file + ": cannot read: no such file"), problems(file));
    }

    @Test
    void directoryIsNotReadableAsConfig() {
        assertEquals(List.of(dir + ": cannot read: not a regular file"), problems(dir));
    }

    @Test
    void everyProblemIsReportedInOneRunSortedByLine() {
        Path file = ConfigFiles.write(dir, "many.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web {",
                "  interface = \"eth0\"",
                "  virtual-router-id = 0",
                "  priority = 256",
                "  virtual-ips = [\"198.18.0.1/33\"]",
                "}",
                "vipkeeper.ipvs.virtual-servers.x { address = \"198.18.0.100\", port = 99999 }",
                ""));
        assertEquals(List.of(
                file + ":3: vipkeeper.vrrp.instances.web.virtual-router-id: 0 is out of range 1..255",
                file + ":4: vipkeeper.vrrp.instances.web.priority: 256 is out of range 1..255",
                file + ":5: vipkeeper.vrrp.instances.web.virtual-ips[0]: \"198.18.0.1/33\" is not an IP address with an optional /prefix",
                file + ":7: vipkeeper.ipvs.virtual-servers.x.port: 99999 is out of range 0..65535"),
                problems(file));
    }

    @Test
    void includeIsRelativeToTheIncludingFile() throws Exception {
        ConfigFiles.write(dir, "sub/vips.conf", "vipkeeper.vrrp.instances.web.virtual-ips = [\"198.18.0.7\"]\n");
        ConfigFiles.write(dir, "sub/main.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 9 }",
                "include \"vips.conf\"", ""));
        Settings s = ConfigLoader.load(dir.resolve("sub/main.conf"));
        assertEquals("198.18.0.7/32", s.vrrp().instances().get("web").virtualIps().get(0).toString());
    }

    @Test
    void substitutionsResolveWithinTheFileButNotFromSystemProperties() throws Exception {
        Path file = ConfigFiles.write(dir, "subst.conf", String.join("\n",
                "vip = \"198.18.0.5\"",
                "vipkeeper.real-server.vips = [${vip}]", ""));
        // A helper key at the top level is still an unknown key: only vipkeeper { } is read.
        assertEquals(List.of(file + ":1: vip: unknown key"), problems(file));
        Path ok = ConfigFiles.write(dir, "subst-ok.conf", String.join("\n",
                "vipkeeper.real-server.vips = [\"198.18.0.5\"]",
                "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 5, virtual-ips = ${vipkeeper.real-server.vips} }",
                ""));
        assertEquals("198.18.0.5/32", ConfigLoader.load(ok).vrrp().instances().get("web").virtualIps().get(0).toString());
        System.setProperty("vipkeeper.node-name", "from-system-property");
        try {
            Path plain = ConfigFiles.write(dir, "plain.conf", "vipkeeper.log-level = debug\n");
            assertEquals(SettingsReader.hostName(), ConfigLoader.load(plain).nodeName());
        } finally {
            System.clearProperty("vipkeeper.node-name");
        }
    }

    @Test
    void emptyFileIsAValidConfigThatDoesNothing() throws Exception {
        Settings s = ConfigLoader.load(ConfigFiles.write(dir, "empty.conf", ""));
        assertEquals(0, s.vrrp().instances().size());
        assertEquals(0, s.ipvs().virtualServers().size());
    }
}
