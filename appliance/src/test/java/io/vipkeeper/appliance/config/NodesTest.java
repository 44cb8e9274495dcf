package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file for both nodes: the merge rules of {@code nodes { NAME { ... } }} and the choice of node. */
class NodesTest {
    /** One VRRP instance, the least a file needs to configure something. */
    private static final String WEB =
            "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.19.20.100/24\"] }";

    @TempDir
    Path dir;

    /** A pair's file: lb2 differs in priority, its unicast peers (a list) and a garp key. */
    private Path pair() {
        return ConfigFiles.write(dir, "pair.conf", String.join("\n",
                "vipkeeper {",
                "  vrrp.instances.web {",
                "    interface = eth0",
                "    virtual-router-id = 51",
                "    priority = 150",
                "    virtual-ips = [\"198.19.20.100/24\"]",
                "    unicast-peers = [\"198.19.20.2\"]",
                "    garp { master-delay = 5s, master-repeat = 5 }",
                "  }",
                "  nodes {",
                "    lb1 {}",
                "    lb2 {",
                "      vrrp.instances.web.priority = 100",
                "      vrrp.instances.web.unicast-peers = [\"198.19.20.1\", \"198.19.20.3\"]",
                "      vrrp.instances.web.garp.master-repeat = 2",
                "    }",
                "  }",
                "}", ""));
    }

    private static VrrpInstance web(Settings s) {
        return s.vrrp().instances().get("web");
    }

    private static List<String> problems(Path file, NodeChoice node) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file, node));
        return e.problems().stream().map(ConfigProblem::format).toList();
    }

    @Test
    void aNodeOverridesOneKeyAndKeepsTheRestOfItsBlock() throws Exception {
        Path f = pair();
        Settings lb1 = ConfigLoader.load(f, NodeChoice.of("lb1"));
        Settings lb2 = ConfigLoader.load(f, NodeChoice.of("lb2"));
        assertEquals(150, web(lb1).priority());
        assertEquals(100, web(lb2).priority());
        // garp is a block: lb2 set one key of it, the other comes from the shared block.
        assertEquals(5, web(lb1).garp().masterRepeat());
        assertEquals(2, web(lb2).garp().masterRepeat());
        assertEquals(web(lb1).garp().masterDelay(), web(lb2).garp().masterDelay());
        assertEquals(web(lb1).virtualIps(), web(lb2).virtualIps());
    }

    @Test
    void aListReplacesTheSharedOneWhole() throws Exception {
        Path f = pair();
        assertEquals(List.of("198.19.20.2"), web(ConfigLoader.load(f, NodeChoice.of("lb1"))).unicastPeers().stream()
                .map(a -> a.getHostAddress()).toList());
        assertEquals(List.of("198.19.20.1", "198.19.20.3"), web(ConfigLoader.load(f, NodeChoice.of("lb2")))
                .unicastPeers().stream().map(a -> a.getHostAddress()).toList());
    }

    @Test
    void nodeNameIsTheNodesNameUnlessItsBlockSetsIt() throws Exception {
        Path f = pair();
        assertEquals("lb1", ConfigLoader.load(f, NodeChoice.of("lb1")).nodeName());
        Path named = ConfigFiles.write(dir, "named.conf", String.join("\n",
                WEB,
                "vipkeeper.nodes.a { node-name = \"lb-a.example\" }",
                "vipkeeper.nodes.b {}", ""));
        assertEquals("lb-a.example", ConfigLoader.load(named, NodeChoice.of("a")).nodeName());
        assertEquals("b", ConfigLoader.load(named, NodeChoice.of("b")).nodeName());
    }

    @Test
    void aProblemInANodesBlockIsAtItsOwnLine() {
        Path f = ConfigFiles.write(dir, "bad.conf", String.join("\n",
                "vipkeeper {",
                "  vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.19.20.100/24\"] }",
                "  nodes {",
                "    lb1 { vrrp.instances.web.priority = 150 }",
                "    lb2 {",
                "      vrrp.instances.web.priority = 300",
                "      vrrp.instances.web.prority = 100",
                "    }",
                "  }",
                "}", ""));
        assertEquals(List.of(
                f + ":6: vipkeeper.vrrp.instances.web.priority: 300 is out of range 1..255",
                f + ":7: vipkeeper.vrrp.instances.web.prority: unknown key (did you mean priority?)"),
                problems(f, NodeChoice.of("lb2")));
    }

    @Test
    void aNameThatMatchesNoNodeIsRefusedWithTheNodes() {
        Path f = pair();
        assertEquals(List.of(f + ":10: vipkeeper.nodes: no node \"lb3\" (named by --node); the nodes are lb1, lb2"),
                problems(f, NodeChoice.of("lb3")));
        // Without --node the host name chooses, and it is no node here.
        String host = SettingsReader.hostName();
        assertEquals(List.of(f + ":10: vipkeeper.nodes: no node \"" + host
                + "\" (this host's name; choose another with --node NAME); the nodes are lb1, lb2"),
                problems(f, NodeChoice.HOST_NAME));
    }

    @Test
    void aFullHostNameStandsForItsFirstLabelToo() throws Exception {
        Path f = pair();
        assertEquals(100, web(ConfigLoader.load(f, host("lb2.example.com"))).priority());
        assertEquals(150, web(ConfigLoader.load(f, host("lb1"))).priority());
        assertEquals(List.of(f + ":10: vipkeeper.nodes: no node \"lb3.example.com\" (this host's name; choose another"
                + " with --node NAME); the nodes are lb1, lb2"), problems(f, host("lb3.example.com")));
        // A name given with --node is taken as it is.
        assertEquals(List.of(f + ":10: vipkeeper.nodes: no node \"lb2.example.com\" (named by --node); the nodes are"
                + " lb1, lb2"), problems(f, NodeChoice.of("lb2.example.com")));
    }

    private static NodeChoice host(String name) {
        return new NodeChoice(java.util.Optional.empty(), java.util.Optional.of(name));
    }

    @Test
    void aFileWithoutNodesReadsAsBeforeAndTakesTheNodeNameFromNodeOption() throws Exception {
        Path f = ConfigFiles.write(dir, "one.conf",
                WEB + "\n");
        assertEquals(SettingsReader.hostName(), ConfigLoader.load(f).nodeName());
        assertEquals("lb2", ConfigLoader.load(f, NodeChoice.of("lb2")).nodeName());
        assertEquals(List.of(), ConfigLoader.nodeNames(f));
        Path named = ConfigFiles.write(dir, "named.conf", "vipkeeper.node-name = x\n"
                + WEB + "\n");
        assertEquals("x", ConfigLoader.load(named, NodeChoice.of("lb2")).nodeName());
    }

    @Test
    void aSharedNodeNameAndMalformedNodesAreProblemsOfTheFile() {
        Path f = ConfigFiles.write(dir, "shared.conf", String.join("\n",
                "vipkeeper.node-name = lb1",
                WEB,
                "vipkeeper.nodes {",
                "  lb1 {}",
                "  lb2 = 100",
                "  lb3 { nodes { x {} } }",
                "}", ""));
        assertEquals(List.of(
                f + ":1: vipkeeper.node-name: would name every node alike; each node is called by its name in nodes { },"
                        + " or set node-name inside its block",
                f + ":5: vipkeeper.nodes.lb2: must be a block of this node's settings: lb2 { vrrp.instances.web.priority = 100 }",
                f + ":6: vipkeeper.nodes.lb3.nodes: a node has no nodes of its own"),
                problems(f, NodeChoice.of("lb1")));
        Path empty = ConfigFiles.write(dir, "empty.conf", "vipkeeper.allow-empty = true\nvipkeeper.nodes {}\n");
        assertEquals(List.of(empty + ":2: vipkeeper.nodes: names no node; name each (nodes { lb1 { ... } }) or leave it out"),
                problems(empty, NodeChoice.of("lb1")));
    }

    @Test
    void aSubstitutionSeesTheNodesValue() throws Exception {
        Path f = ConfigFiles.write(dir, "subst.conf", String.join("\n",
                "vipkeeper {",
                "  vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.19.20.100/24\"]",
                "    priority = 150 }",
                "  vrrp.instances.db { interface = eth0, virtual-router-id = 52, virtual-ips = [\"198.19.20.101/24\"]",
                "    priority = ${vipkeeper.vrrp.instances.web.priority} }",
                "  nodes { lb1 {}, lb2 { vrrp.instances.web.priority = 100 } }",
                "}", ""));
        // The node's block is merged before substitutions are resolved: db follows lb2's web.
        assertEquals(150, ConfigLoader.load(f, NodeChoice.of("lb1")).vrrp().instances().get("db").priority());
        assertEquals(100, ConfigLoader.load(f, NodeChoice.of("lb2")).vrrp().instances().get("db").priority());
    }

    @Test
    void everyNodesProblemNamesItsNodesAndACommonOneIsReportedOnce() {
        Path f = ConfigFiles.write(dir, "every.conf", String.join("\n",
                "vipkeeper {",
                "  vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.19.20.100/33\"] }",
                "  nodes {",
                "    lb1 { vrrp.instances.web.priority = 150 }",
                "    lb2 { vrrp.instances.web.priority = 0 }",
                "    lb3 { vrrp.instances.web.priority = 0 }",
                "  }",
                "}", ""));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> EveryNode.load(f, DataPlaneResolver.ANY, ConfigLoader.nodeNames(f)));
        assertEquals(List.of(
                f + ":2: vipkeeper.vrrp.instances.web.virtual-ips[0]: \"198.19.20.100/33\" is not an IP address with an"
                        + " optional /prefix",
                f + ":5: [lb2] vipkeeper.vrrp.instances.web.priority: 0 is out of range 1..255",
                f + ":6: [lb3] vipkeeper.vrrp.instances.web.priority: 0 is out of range 1..255"),
                e.problems().stream().map(ConfigProblem::format).toList());
        assertEquals(List.of(new ConfigProblem("f", 3, "[a, b] m")), EveryNode.named(new TreeMap<>(Map.of(
                "a", List.of(new ConfigProblem("f", 3, "m")), "b", List.of(new ConfigProblem("f", 3, "m")))), 3));
    }

    /** The daemon's choice is fixed at start: the host name read then, a given name kept as given. */
    @Test
    void aFixedChoiceKeepsTheHostNameReadWhenItWasFixed() {
        NodeChoice fixed = NodeChoice.HOST_NAME.fixed();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(SettingsReader.hostName()), fixed.hostName());
        org.junit.jupiter.api.Assertions.assertEquals(SettingsReader.hostName(), fixed.name());
        org.junit.jupiter.api.Assertions.assertSame(fixed, fixed.fixed());
        NodeChoice given = NodeChoice.of("lb2");
        org.junit.jupiter.api.Assertions.assertSame(given, given.fixed());
    }

    /** A warning of some views only names their nodes, as a problem does; a common one is said once. */
    @Test
    void aWarningOfOneNodesViewNamesThatNode() {
        Map<String, List<String>> byNode = new java.util.LinkedHashMap<>();
        byNode.put("lb1", List.of("warning: f.conf:3: common", "warning: f.conf is readable"));
        byNode.put("lb2", List.of("warning: f.conf:3: common", "warning: f.conf:7: vipkeeper.x: only lb2"));
        assertEquals(List.of("warning: f.conf:3: common", "warning: [lb1] f.conf is readable",
                "warning: f.conf:7: [lb2] vipkeeper.x: only lb2"), EveryNode.namedWarnings(byNode));
    }
}
