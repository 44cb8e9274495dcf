package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of {@code realserver}, up to the point where it would touch the kernel (these
 * run in the build's own network namespace: the kernel side is RealServerIT's, in its own).
 */
class RealServerCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutUpDownOrStatusItIsAUsageError() {
        CliRun r = CliRun.of("realserver");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("Missing a command: up, down or status\n"), r.err());
        assertEquals(ExitCodes.USAGE, CliRun.of("realserver", "sideways").exitCode());
    }

    @Test
    void mainNamesItAmongTheCommands() {
        assertTrue(CliRun.of().err().startsWith("Missing a command: run, check, reload, status, backend, ipvs, nftables, realserver, version or help\n"));
    }

    @Test
    void aBadConfigIsReportedAsCheckReportsIt() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "vipkeeper.real-server {\n  vips = [\"198.18.2.10/24\"]\n}\n");
        for (String action : new String[] {"up", "down", "status"}) {
            CliRun r = CliRun.of("realserver", action, "-f", f.toString(), "--state", dir.resolve("s").toString());
            assertEquals(ExitCodes.INVALID_CONFIG, r.exitCode(), action);
            assertEquals("", r.out());
            assertEquals(f + ":2: vipkeeper.real-server.vips[0]: \"198.18.2.10/24\" is not an IP address (it goes on lo"
                    + " as /32 or /128)\n" + f + ": 1 problem, nothing was changed\n", r.err(), action);
        }
    }

    @Test
    void upWithoutVipsIsRefusedBeforeAnythingChanges() throws Exception {
        // A load balancer's file on a backend: valid, but nothing for realserver up.
        Path f = dir.resolve("lb.conf");
        Files.writeString(f, "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51,"
                + " virtual-ips = [\"198.18.2.10\"] }\n");
        CliRun r = CliRun.of("realserver", "up", "-f", f.toString(), "--state", dir.resolve("s").toString());
        assertEquals(ExitCodes.INVALID_CONFIG, r.exitCode());
        assertEquals(f + ": vipkeeper.real-server.vips is empty: list the VIPs this backend serves\n", r.err());
        assertTrue(Files.notExists(dir.resolve("s")));
    }
}
