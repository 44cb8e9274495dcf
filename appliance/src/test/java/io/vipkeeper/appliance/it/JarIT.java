package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar works on its own: `java -jar appliance/target/vipkeeper.jar ...`. */
class JarIT {
    @TempDir
    Path dir;

    @Test
    void checksTheShippedExample() throws Exception {
        Path example = Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"), "vipkeeper.conf");
        try (JarProcess p = JarProcess.start(dir, "check", "-f", example.toString())) {
            assertEquals(0, p.waitFor(), p.err());
            // The second line goes on to say so where this kernel has no IPVS.
            // One file for both nodes: each node's view is checked.
            assertTrue(p.out().startsWith(example + ": OK: node lb1: 1 VRRP instance, 1 virtual server, 2 real servers\n"
                    + example + ": OK: node lb2: 1 VRRP instance, 1 virtual server, 2 real servers\n"
                    + "checked for data plane ipvs (data-plane = ipvs)"), p.out());
        }
    }

    @Test
    void reportsProblemsWithFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "vipkeeper.vrrp.instances.web {\n  interface = eth0\n  virtual-router-id = 51\n"
                + "  virtual-ips = [\"198.18.0.100/24\"]\n  advert-interval = 1\n}\n");
        try (JarProcess p = JarProcess.start(dir, "check", "-f", bad.toString())) {
            assertEquals(1, p.waitFor());
            assertEquals(bad + ":5: vipkeeper.vrrp.instances.web.advert-interval: expected a duration with a unit such as"
                    + " 1s or 100ms, got 1\n" + bad + ": 1 problem, nothing was changed\n", p.err());
        }
    }

    @Test
    void printsItsVersion() throws Exception {
        try (JarProcess p = JarProcess.start(dir, "version")) {
            assertEquals(0, p.waitFor());
            assertTrue(p.out().matches("vipkeeper \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java \\d+.*\\)\\n"), p.out());
        }
    }
}
