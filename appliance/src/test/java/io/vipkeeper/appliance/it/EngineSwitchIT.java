package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a host from the nftables data plane to IPVS: the nftables engine's table outlives its
 * daemon on purpose (traffic flows through a restart), and it DNATs ahead of IPVS, so the daemon
 * that now runs IPVS must remove it, and nothing else (the operator trial of issue 16 saw the old
 * table keep forwarding to a backend marked down). This kernel has no IPVS; `data-plane = ipvs`
 * makes the daemon run it anyway (retrying to open it), which is all the test needs.
 */
class EngineSwitchIT {
    @TempDir
    Path dir;

    private Path conf(String engine) throws Exception {
        return Files.writeString(dir.resolve(engine + ".conf"), String.join("\n",
                "vipkeeper {",
                "  data-plane = " + engine,
                "  api.listen = \"\"",
                "  ipvs.virtual-servers.web { address = \"198.18.235.100\", port = 80, health-check.type = none,",
                "    real-servers = [{ address = \"198.18.235.11\" }] }",
                "  ipvs.virtual-servers.dr { address = \"198.18.235.100\", port = 81, health-check.type = none,",
                "    forwarding = dr, scheduler = sh, real-servers = [{ address = \"198.18.235.12\" }] }",
                "}", ""));
    }

    @Test
    void aDaemonMovedToIpvsRemovesTheNftablesEnginesTableAndNothingElse() throws Exception {
        try (Lab lab = Lab.create("198.18.235")) {
            String lb = lab.node("lb", 10);
            Lab.sh("ip", "netns", "exec", lb, "nft", "add", "table", "ip", "mine");
            try (JarProcess nft = JarProcess.startIn(lb, dir, "run", "-f", conf("nftables").toString(),
                    "--pid-file", dir.resolve("nft.pid").toString(), "--state-dir", dir.resolve("state").toString())) {
                nft.awaitLog("nftables: 2 virtual server(s) in the kernel after");
                Lab.sh("kill", "-TERM", Long.toString(nft.pid()));
                nft.waitFor();
            }
            String left = Lab.sh("ip", "netns", "exec", lb, "nft", "list", "tables");
            assertTrue(left.contains("table inet vipkeeper_lb") && left.contains("table netdev vipkeeper_dsr"),
                    "a stopped nftables daemon leaves its tables: " + left);
            try (JarProcess ipvs = JarProcess.startIn(lb, dir, "run", "-f", conf("ipvs").toString(),
                    "--pid-file", dir.resolve("ipvs.pid").toString(), "--state-dir", dir.resolve("state").toString())) {
                ipvs.awaitLog("removed table inet vipkeeper_lb, left by an earlier run on the nftables data plane");
                ipvs.awaitLog("removed table netdev vipkeeper_dsr, left by an earlier run on the nftables data plane");
                String tables = Lab.sh("ip", "netns", "exec", lb, "nft", "list", "tables");
                assertFalse(tables.contains("vipkeeper_lb") || tables.contains("vipkeeper_dsr"), tables);
                assertTrue(tables.contains("table ip mine"), tables);
            }
        }
    }
}
