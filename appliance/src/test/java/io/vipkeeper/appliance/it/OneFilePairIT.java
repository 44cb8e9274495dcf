package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `vipkeeper run` processes in network namespaces started from ONE file with {@code --node lb1}
 * and {@code --node lb2} (the namespaces share the host's name): they form a pair, each reloads as
 * the same node, and a name that matches no node is refused at start.
 */
class OneFilePairIT {
    private static final String VIP = "198.19.20.100";

    @TempDir
    Path dir;
    private Lab lab;

    @BeforeEach
    void createLab() throws Exception {
        lab = Lab.create("198.19.20");
        lab.node("lb1", 1);
        lab.node("lb2", 2);
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    private Path write(int lb2Priority) throws Exception {
        return Files.writeString(dir.resolve("vipkeeper.conf"), """
                vipkeeper {
                  api.listen = ""
                  vrrp.instances.vi_1 {
                    interface = eth0
                    virtual-router-id = 61
                    advert-interval = 100ms
                    virtual-ips = ["%s/24"]
                  }
                  nodes {
                    lb1 { vrrp.instances.vi_1.priority = 150 }
                    lb2 { vrrp.instances.vi_1.priority = %d }
                  }
                }
                """.formatted(VIP, lb2Priority));
    }

    private JarProcess start(Path conf, String node) throws Exception {
        return lab.own(JarProcess.startIn(lab.ns(node), dir, "run", "-f", conf.toString(), "--node", node,
                "--run-dir", dir.resolve("run-" + node).toString()));
    }

    private boolean has(String node) {
        return lab.holds(node, VIP);
    }

    @Test
    void oneFileMakesAPairEachNodeReloadsAsItselfAndAnUnknownNodeIsRefused() throws Exception {
        Path conf = write(100);
        JarProcess lb1 = start(conf, "lb1");
        JarProcess lb2 = start(conf, "lb2");
        lb1.awaitLog("vi_1: BACKUP -> MASTER");
        lb2.awaitLog("vi_1: INITIALIZE -> BACKUP");
        lb1.awaitLog("starting as lb1 from " + conf);
        lb2.awaitLog("starting as lb2 from " + conf);
        Lab.await(5, "lb1 holds the VIP", () -> has("lb1"));
        Lab.await(5, "lb2 does not", () -> !has("lb2"));
        try (JarProcess status = JarProcess.start(dir, "status", "--json", "--run-dir", dir.resolve("run-lb2").toString())) {
            assertEquals(0, status.waitFor(), status.err());
            assertEquals("lb2", StatusJson.read(status.out()).node());
        }

        // The shared file raises lb2 over lb1; a reload of lb2 reads it as lb2 again and preempts.
        write(200);
        lb2.signal("HUP");
        lb2.awaitLog("reload succeeded");
        lb2.awaitLog("vi_1: BACKUP -> MASTER (preempt)");
        Lab.await(5, "lb2 holds the VIP", () -> has("lb2"));
        Lab.await(5, "lb1 released it", () -> !has("lb1"));
        assertTrue(lb1.isAlive() && lb2.isAlive());

        try (JarProcess lb3 = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", conf.toString(), "--node", "lb3",
                "--run-dir", dir.resolve("run-lb3").toString())) {
            assertEquals(1, lb3.waitFor());
            assertTrue(lb3.err().contains(conf + ":9: vipkeeper.nodes: no node \"lb3\" (named by --node); the nodes are"
                    + " lb1, lb2"), lb3.err());
        }
    }
}
