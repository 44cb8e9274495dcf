package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `check` and the daemon, as real processes in a lab namespace, warn about an interface that
 * namespace lacks (and not about one only it has), the daemon once at start and once at each reload.
 */
class ConfigWarningsIT {
    @TempDir
    Path dir;
    private Lab lab;

    @BeforeEach
    void createLab() throws Exception {
        lab = Lab.create("198.19.30");
        lab.node("lb1", 1);
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    @Test
    void anInterfaceTheNamespaceLacksIsWarnedAboutByCheckAndOnceAtEachLoadOfTheDaemon() throws Exception {
        // An interface only the lab's namespace has: read from the host's namespace, it would be warned about too.
        String here = "vkw" + Long.toHexString(ProcessHandle.current().pid() & 0xffffff);
        Lab.sh("ip", "-n", lab.ns("lb1"), "link", "add", here, "type", "veth", "peer", "name", here + "p");
        assertNotEquals(0, new ProcessBuilder("ip", "link", "show", here).start().waitFor(), here + " is on the host");
        Path f = dir.resolve("vipkeeper.conf");
        String text = String.join("\n",
                "vipkeeper {",
                "  api.listen = \"\"",
                "  vrrp.instances.web {",
                "    interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.19.30.100/24\"]",
                "    track-interfaces = [\"" + here + "\", { name = \"gone0\", weight = -10 }]",
                "  }",
                "}", "");
        Files.writeString(f, text);
        String warning = "warning: " + f + ":5: vipkeeper.vrrp.instances.web.track-interfaces[1]: this host has no"
                + " interface gone0 (tracked as down until it appears)";

        try (JarProcess check = JarProcess.startIn(lab.ns("lb1"), dir, "check", "-f", f.toString())) {
            assertEquals(0, check.waitFor(), check.err());
            assertEquals(warning + "\n", check.err());
        }

        Path pid = dir.resolve("run/vipkeeper.pid");
        try (JarProcess p = JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString(), "--pid-file",
                pid.toString())) {
            p.awaitLog("web: INITIALIZE -> ");
            assertEquals(1, p.logCount(warning), p.err());
            p.reload(f, text);
            assertEquals(2, p.logCount(warning), p.err());
            assertEquals(2, p.logCount("warning: "), p.err());
        }
    }
}
