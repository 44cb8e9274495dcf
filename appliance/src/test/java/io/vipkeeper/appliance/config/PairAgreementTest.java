package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node block may change what differs by node (priority), never what makes the pair one router. */
class PairAgreementTest {
    @TempDir
    Path dir;

    /** A pair's file with {@code lb2}'s block as given (one line each, starting at line 8). */
    private Path pair(String... lb2) {
        return ConfigFiles.write(dir, "pair.conf", String.join("\n",
                "vipkeeper {",
                "  vrrp.instances.web {",
                "    interface = eth0, virtual-router-id = 51, priority = 150, version = 2",
                "    virtual-ips = [\"198.19.20.100/24\"]",
                "    authentication { type = pass, password = s3cret }",
                "  }",
                "  nodes { lb1 {}, lb2 {",
                String.join("\n", lb2),
                "  } }",
                "}", ""));
    }

    private static List<String> problems(Path file, String node) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file, NodeChoice.of(node)));
        return e.problems().stream().map(ConfigProblem::format).toList();
    }

    @Test
    void aNodeThatChangesTheVirtualRouterIdIsRefusedAtItsLine() {
        Path f = pair("    vrrp.instances.web.virtual-router-id = 52");
        assertEquals(List.of(f + ":8: vipkeeper.nodes.lb2.vrrp.instances.web.virtual-router-id: node lb2 and node lb1"
                + " differ on instance web's virtual-router-id (lb2 has 52, lb1 has 51); the nodes of a pair must agree on"
                + " an instance's virtual-router-id, version, advert-interval, virtual-ips, authentication, or each takes"
                + " the other for another router and both hold the virtual IPs (set it outside the nodes block)"),
                problems(f, "lb2"));
    }

    @Test
    void theOtherNodeRefusesTheFileToo() {
        Path f = pair("    vrrp.instances.web.virtual-router-id = 52");
        assertEquals(problems(f, "lb2"), problems(f, "lb1"), "start and reload of either node, as check");
    }

    @Test
    void eachSharedKeyIsCompared() {
        for (String line : List.of("vrrp.instances.web.virtual-ips = [\"198.19.20.101/24\"]",
                "vrrp.instances.web.version = 3", "vrrp.instances.web.advert-interval = 2s",
                "vrrp.instance-defaults.advert-interval = 3s")) {
            List<String> p = problems(pair("    " + line), "lb2");
            assertEquals(1, p.size(), line + ": " + p);
            assertTrue(p.get(0).startsWith(dir.resolve("pair.conf") + ":8: vipkeeper.nodes.lb2." + line.substring(0, line.indexOf(' '))),
                    p.get(0));
        }
    }

    @Test
    void aDifferentPasswordIsRefusedWithoutShowingEither() {
        List<String> p = problems(pair("    vrrp.instances.web.authentication.password = zz9pass"), "lb2");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("differ on instance web's authentication;"), p.get(0));
        assertFalse(p.get(0).contains("s3cret") || p.get(0).contains("zz9pass"), p.get(0));
    }

    @Test
    void whatMayDifferByNodeAndTheSameValueAgainPass() throws Exception {
        Path f = pair("    vrrp.instances.web.priority = 100", "    vrrp.instances.web.virtual-router-id = 51",
                "    vrrp.instances.web.interface = eth1");
        assertEquals(100, ConfigLoader.load(f, NodeChoice.of("lb2")).vrrp().instances().get("web").priority());
    }

    @Test
    void valuesAreComparedAsTheDaemonReadsThem() throws Exception {
        // 1000ms is the shared 1s default; version 2 written out; the VIP on another interface of lb2.
        Path f = pair("    vrrp.instances.web.advert-interval = 1000ms", "    vrrp.instances.web.version = \"2\"",
                "    vrrp.instances.web.virtual-ips = [{ address = \"198.19.20.100/24\", interface = eth1, label = \"eth1:vip\" }]");
        assertEquals(150, ConfigLoader.load(f, NodeChoice.of("lb2")).vrrp().instances().get("web").priority());
        assertEquals(150, ConfigLoader.load(f, NodeChoice.of("lb1")).vrrp().instances().get("web").priority());
    }

    @Test
    void aDefaultThatEveryInstanceOverridesAndAnInstanceOfOneNodeOnlyPass() throws Exception {
        Path f = ConfigFiles.write(dir, "own.conf", String.join("\n",
                "vipkeeper {",
                "  vrrp.instances.web { interface = eth0, virtual-router-id = 51, advert-interval = 1s, virtual-ips = [\"198.19.20.100/24\"] }",
                "  nodes { lb1 {}, lb2 {",
                "    vrrp.instance-defaults.advert-interval = 3s",
                "    vrrp.instances.extra { interface = eth0, virtual-router-id = 60, advert-interval = 1s, virtual-ips = [\"198.19.20.101/24\"] }",
                "  } }",
                "}", ""));
        assertEquals(2, ConfigLoader.load(f, NodeChoice.of("lb2")).vrrp().instances().size());
    }

    @Test
    void checkWithoutNodeReportsItOnceForEveryNode() {
        Path f = pair("    vrrp.instances.web.virtual-router-id = 52");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> EveryNode.load(f, DataPlaneResolver.ANY, ConfigLoader.nodeNames(f)));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).format().startsWith(f + ":8: vipkeeper.nodes.lb2.vrrp.instances.web.virtual-router-id"),
                e.problems().get(0).format());
    }

    /** Substitutions and += in a node's block are compared by their result (review: they turned the check off). */
    @Test
    void aSubstitutionOrAnAppendInANodeBlockIsComparedByItsResult() {
        for (String line : List.of("    vrrp.instances.web.virtual-ips += \"198.19.20.101/24\"",
                "    vrrp.instances.web { priority = 100, virtual-router-id = ${vipkeeper.vrrp.instances.web.priority} }",
                "    vrrp.instances.web = ${vipkeeper.vrrp.instances.web} { virtual-router-id = 52 }")) {
            Path f = pair(line);
            List<String> lb2 = problems(f, "lb2");
            assertEquals(1, lb2.size(), line + ": " + lb2);
            // At the value's line, or at the node's block where the value is built by a substitution.
            assertTrue(lb2.get(0).matches(java.util.regex.Pattern.quote(f.toString()) + ":[78]: vipkeeper\\.nodes\\.lb2\\.vrrp"
                    + "\\.instances\\.web\\..*"), lb2.get(0));
            assertEquals(lb2, problems(f, "lb1"), line);
        }
    }
}
