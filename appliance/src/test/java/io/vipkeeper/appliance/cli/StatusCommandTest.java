package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vipkeeper status} without a daemon: where it connects, and what it says when it cannot. */
class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void disabledApiIsReported() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, "vipkeeper.api.listen = \"\"\nvipkeeper.allow-empty = true\n");
        CliRun r = CliRun.of("status", "-f", f.toString());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals("vipkeeper status: the status API is disabled in " + f + " (api.listen = \"\"); use --run-dir (the daemon's control socket) or --url\n", r.err());
    }

    @Test
    void theNodeChoosesWhichApiOfASharedFileStatusAsks() throws Exception {
        Path f = dir.resolve("pair.conf");
        Files.writeString(f, "vipkeeper.allow-empty = true\n"
                + "vipkeeper.nodes { lb1 { api.listen = \"\" }, lb2 { api.listen = \"127.0.0.1:1\" } }\n");
        CliRun lb1 = CliRun.of("status", "-f", f.toString(), "--node", "lb1");
        assertEquals(ExitCodes.FAILED, lb1.exitCode());
        assertTrue(lb1.err().startsWith("vipkeeper status: the status API is disabled in " + f), lb1.err());
        CliRun lb2 = CliRun.of("status", "-f", f.toString(), "--node", "lb2");
        assertEquals(ExitCodes.FAILED, lb2.exitCode());
        assertTrue(lb2.err().contains("127.0.0.1:1"), lb2.err());
        CliRun lb3 = CliRun.of("status", "-f", f.toString(), "--node", "lb3");
        assertEquals(ExitCodes.INVALID_CONFIG, lb3.exitCode());
        assertTrue(lb3.err().startsWith(f + ":2: vipkeeper.nodes: no node \"lb3\" (named by --node); the nodes are lb1, lb2"),
                lb3.err());
    }

    @Test
    void badConfigIsReportedWithFileAndLine() throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, "vipkeeper.api.listen = \"nowhere\"\n");
        CliRun r = CliRun.of("status", "-f", f.toString());
        assertEquals(ExitCodes.INVALID_CONFIG, r.exitCode());
        assertTrue(r.err().startsWith(f + ":1"), r.err());
        // The file was only read to find the daemon: nothing about changes, which status never makes.
        assertTrue(r.err().endsWith("vipkeeper status: " + f + " cannot say where the status API listens\n"), r.err());
    }

    @Test
    void wildcardListenMeansLoopback() {
        assertEquals("http://127.0.0.1:9180/", StatusCommand.baseUri(new InetSocketAddress(
                NetUtil.createInetAddressFromIpAddressString("0.0.0.0"), 9180)).toString());
        assertEquals("http://[::1]:9180/", StatusCommand.baseUri(new InetSocketAddress(
                NetUtil.createInetAddressFromIpAddressString("::"), 9180)).toString());
        assertEquals("http://198.18.0.1:80/", StatusCommand.baseUri(new InetSocketAddress(
                NetUtil.createInetAddressFromIpAddressString("198.18.0.1"), 80)).toString());
    }
}
