package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vipkeeper check} on one file for both nodes: every node's view, --node, --print. */
class CheckNodesTest {
    private static final String KEY = "hex:" + "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private Path pair() throws Exception {
        return write("pair.conf",
                "vipkeeper {",
                "  vrrp.instances.web {",
                "    interface = eth0",
                "    virtual-router-id = 51",
                "    virtual-ips = [\"198.19.20.100/24\"]",
                "    authentication { type = hmac-sha256, key = \"" + KEY + "\" }",
                "  }",
                "  vrrp.instances.db {",
                "    interface = eth0",
                "    virtual-router-id = 52",
                "    version = 2",
                "    virtual-ips = [\"198.19.20.101/24\"]",
                "    authentication { type = pass, password = s3cret }",
                "  }",
                "  nodes {",
                "    lb1 { vrrp.instances.web.priority = 150 }",
                "    lb2 { vrrp.instances.web.priority = 100, vrrp.instances.db.unicast-peers = [\"198.19.20.77\"] }",
                "  }",
                "}");
    }

    @Test
    void everyNodesViewIsCheckedAndSummarized() throws Exception {
        Path f = pair();
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(f + ": OK: node lb1: 2 VRRP instances, 0 virtual servers, 0 real servers\n"
                + f + ": OK: node lb2: 2 VRRP instances, 0 virtual servers, 0 real servers\n", r.out());
        CliRun one = CliRun.of("check", "-f", f.toString(), "--node", "lb2");
        assertEquals(0, one.exitCode(), one.err());
        assertEquals(f + ": OK: node lb2: 2 VRRP instances, 0 virtual servers, 0 real servers\n", one.out());
    }

    @Test
    void aProblemNamesItsNodeAndACommonOneIsReportedOnce() throws Exception {
        Path f = write("bad.conf",
                "vipkeeper {",
                "  vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.19.20.100/24\"]",
                "    advert-interval = 1 }",
                "  nodes {",
                "    lb1 { vrrp.instances.web.priority = 150 }",
                "    lb2 { vrrp.instances.web.priority = 256 }",
                "  }",
                "}");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(1, r.exitCode());
        String[] err = r.err().split("\n");
        assertEquals(3, err.length, r.err());
        assertTrue(err[0].startsWith(f + ":3: vipkeeper.vrrp.instances.web.advert-interval: "), err[0]);
        assertEquals(f + ":6: [lb2] vipkeeper.vrrp.instances.web.priority: 256 is out of range 1..255", err[1]);
        assertEquals(f + ": 2 problems, nothing was changed", err[2]);
    }

    @Test
    void anUnknownNodeIsRefusedWithTheNodes() throws Exception {
        Path f = pair();
        CliRun r = CliRun.of("check", "-f", f.toString(), "--node", "lb9");
        assertEquals(1, r.exitCode());
        assertEquals(f + ":15: vipkeeper.nodes: no node \"lb9\" (named by --node); the nodes are lb1, lb2\n"
                + f + ": 1 problem, nothing was changed\n", r.err());
    }

    @Test
    void printShowsTheNodesViewWithSecretsMaskedAndChecksOnceTheyAreBack() throws Exception {
        Path f = pair();
        CliRun r = CliRun.of("check", "-f", f.toString(), "--node", "lb2", "--print");
        assertEquals(0, r.exitCode(), r.err());
        String printed = r.out();
        assertFalse(printed.contains("s3cret"), printed);
        assertFalse(printed.contains(KEY), printed);
        assertTrue(printed.contains("priority=100"), printed);
        assertTrue(printed.contains("198.19.20.77"), printed);
        assertTrue(printed.contains("node-name=lb2"), printed);
        assertFalse(printed.contains("nodes"), printed);
        // Defaults stay in reference.conf, not in the print.
        assertFalse(printed.contains("log-level"), printed);
        Path masked = write("masked.conf", printed);
        CliRun refused = CliRun.of("check", "-f", masked.toString());
        assertEquals(1, refused.exitCode(), refused.out());
        String back = printed.replaceFirst("password=\"<masked>\"", "password=s3cret")
                .replaceFirst("key=\"<masked>\"", "key=\"" + KEY + "\"");
        Path restored = write("restored.conf", back);
        CliRun ok = CliRun.of("check", "-f", restored.toString());
        assertEquals(0, ok.exitCode(), back + ok.err());
        assertEquals(restored + ": OK: 2 VRRP instances, 0 virtual servers, 0 real servers\n", ok.out());
        CliRun again = CliRun.of("check", "-f", restored.toString(), "--print");
        assertEquals(printed.substring(printed.indexOf('\n')), again.out().substring(again.out().indexOf('\n')));
    }

    /** A file without node-name (the host name is the node's) printed without --node: it said ConfigException$Null. */
    @Test
    void printOfAFileWithoutANodeNameNamesTheHost() throws Exception {
        Path f = write("plain.conf", "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51,"
                + " priority = 100, virtual-ips = [\"198.19.20.100/24\"] }\n");
        CliRun r = CliRun.of("check", "-f", f.toString(), "--print");
        assertEquals(0, r.exitCode(), r.err());
        String host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        assertTrue(r.out().startsWith("# " + f + " as node " + host + " reads it"), r.out());
        assertTrue(r.out().contains("virtual-router-id=51"), r.out());
    }

    @Test
    void printOfAFileWithNodesNeedsANode() throws Exception {
        Path f = pair();
        CliRun r = CliRun.of("check", "-f", f.toString(), "--print");
        assertEquals(2, r.exitCode());
        assertEquals("--print shows one node's view: add --node NAME (the nodes are lb1, lb2)\n", r.err());
        assertEquals("", r.out());
    }
}
