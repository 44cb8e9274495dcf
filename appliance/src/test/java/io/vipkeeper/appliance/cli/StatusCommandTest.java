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
