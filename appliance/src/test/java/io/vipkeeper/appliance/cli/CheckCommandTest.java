package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.Version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void goodFilePrintsOneLineSummaryAndExitsZero() throws Exception {
        Path f = dir.resolve("ok.conf");
        Files.writeString(f, String.join("\n",
                "vipkeeper.vrrp.instances.web { interface = lo, virtual-router-id = 51, virtual-ips = [\"198.18.0.100/24\"] }",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,",
                "  real-servers = [{ address = \"198.18.0.13\" }, { address = \"198.18.0.14\" }] }", ""));
        CliRun r = CliRun.of("check", "-f", f.toString(), "--data-plane", "ipvs");
        assertEquals(0, r.exitCode());
        List<String> out = r.out().lines().toList();
        assertEquals(2, out.size(), r.out());
        assertEquals(f + ": OK: 1 VRRP instance, 1 virtual server, 2 real servers", out.get(0));
        // Where this kernel has no IPVS the line goes on to say so.
        assertTrue(out.get(1).startsWith("checked for data plane ipvs (--data-plane ipvs)"), out.get(1));
        assertEquals("", r.err());
    }

    @Test
    void whatTheOtherEngineLacksIsAProblemAtItsLineAndTheDefaultSchedulerFitsBoth() throws Exception {
        Path f = dir.resolve("engine.conf");
        Files.writeString(f, String.join("\n",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,",
                "  real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.virtual-servers.dr { address = \"198.18.0.100\", port = 81, forwarding = dr",
                "  scheduler = rr",
                "  real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.virtual-servers.lc { address = \"198.18.0.100\", port = 82, scheduler = lc",
                "  real-servers = [{ address = \"198.18.0.13\" }] }", ""));
        CliRun ipvs = CliRun.of("check", "-f", f.toString(), "--data-plane", "ipvs");
        assertEquals(0, ipvs.exitCode(), ipvs.err());
        CliRun nft = CliRun.of("check", "-f", f.toString(), "--data-plane", "nftables");
        assertEquals(1, nft.exitCode());
        assertEquals(String.join("\n",
                f + ":4: vipkeeper.ipvs.virtual-servers.dr.scheduler: the nftables data plane has no dr with scheduler rr:"
                        + " it forwards dr without connection tracking, so only a hash of the client keeps a connection"
                        + " on one real server; use sh or mh",
                f + ":6: vipkeeper.ipvs.virtual-servers.lc.scheduler: the nftables data plane has no scheduler lc"
                        + " (it has mh, rr, sh, symhash, wrr)",
                f + ": 2 problems, nothing was changed", ""), nft.err());
        CliRun bad = CliRun.of("check", "-f", f.toString(), "--data-plane", "xdp");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("\"xdp\" is not ipvs or nftables"), bad.err());
    }

    @Test
    void badFileListsEveryProblemOnStderrAndExitsOne() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "vipkeeper {\n  node-nme = x\n  log-level = loud\n}\n");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals(String.join("\n",
                f + ":2: vipkeeper.node-nme: unknown key (did you mean node-name?)",
                f + ":3: vipkeeper.log-level: unknown value \"loud\"; valid: error, warn, info, debug, trace",
                f + ": 2 problems, nothing was changed", ""), r.err());
    }

    @Test
    void anEmptyFileIsAProblemNotAnOk() throws Exception {
        Path f = Files.writeString(dir.resolve("empty.conf"), "");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals(f + ":1: nothing to do: no VRRP instance, virtual server or real-server VIP is configured (an"
                + " empty or half-written file?); a file meant to configure nothing says vipkeeper.allow-empty = true\n"
                + f + ": 1 problem, nothing was changed\n", r.err());
    }

    @Test
    void nestingThatOverflowsTheStackIsAProblemAtLine1NotAStackTrace() throws Exception {
        Path f = Files.writeString(dir.resolve("deep.conf"), "a {".repeat(200_000) + "}".repeat(200_000) + "\n");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(1, r.exitCode());
        assertEquals(f + ":1: too deeply nested or too large to resolve\n" + f + ": 1 problem, nothing was changed\n",
                r.err());
    }

    @Test
    void missingFileIsAProblemNotAStackTrace() {
        Path f = dir.resolve("absent.conf");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith(f + ": cannot read: no such file\n"), r.err());
    }

    @Test
    void aBareFileNameFindsItsRelativeInclude() throws Exception {
        // A bare name has no parent directory to resolve includes in; the files must sit in the
        // working directory for that, so they get names of their own and go afterwards.
        Path cwd = Path.of("").toAbsolutePath();
        Path part = Files.createTempFile(cwd, "check-part-", ".conf");
        Path main = Files.createTempFile(cwd, "check-bare-", ".conf");
        try {
            Files.writeString(part, "vipkeeper.vrrp.instances.web.virtual-ips = [\"198.18.0.100/24\"]\n");
            Files.writeString(main, "vipkeeper.vrrp.instances.web { interface = lo, virtual-router-id = 51 }\n"
                    + "include \"" + part.getFileName() + "\"\n");
            String bare = main.getFileName().toString();
            CliRun r = CliRun.of("check", "-f", bare);
            assertEquals("", r.err());
            assertEquals(bare + ": OK: 1 VRRP instance, 0 virtual servers, 0 real servers\n", r.out());
            assertEquals(0, r.exitCode());
        } finally {
            Files.deleteIfExists(main);
            Files.deleteIfExists(part);
        }
    }

    private static final String PASS_INSTANCE = "vipkeeper.vrrp.instances.web { interface = lo, virtual-router-id = 51,"
            + " version = 2, virtual-ips = [\"198.18.0.100/24\"],\n  authentication { type = pass, password = s3cret } }\n";

    private Path withMode(String name, String text, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aWorldReadableFileHoldingAVrrpPasswordIsWarnedAbout() throws Exception {
        Path f = withMode("pass.conf", PASS_INSTANCE, "rw-r--r--");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(0, r.exitCode());
        assertEquals("warning: " + f + " is readable by other users and holds secrets"
                + " (vipkeeper.vrrp.instances.web.authentication.password); chmod 640 " + f + "\n", r.err());
        assertEquals(f + ": OK: 1 VRRP instance, 0 virtual servers, 0 real servers\n", r.out());
    }

    @Test
    void aFileOnlyItsGroupMayReadIsNotWarnedAbout() throws Exception {
        Path f = withMode("pass.conf", PASS_INSTANCE, "rw-r-----");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(0, r.exitCode());
        assertEquals("", r.err());
    }

    @Test
    void aWorldReadableFileWithoutSecretsIsNotWarnedAbout() throws Exception {
        Path f = withMode("plain.conf", PASS_INSTANCE.replace("type = pass, password = s3cret", "type = none"),
                "rw-r--r--");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(0, r.exitCode());
        assertEquals("", r.err());
    }

    @Test
    void anHmacKeyFileOthersMayReadIsWarnedAboutAndTheConfigThatNamesItIsNot() throws Exception {
        Path key = withMode("hmac.key", "hex:" + "ab".repeat(32) + "\n", "rw-r--r--");
        Path f = withMode("main.conf", PASS_INSTANCE.replace("type = pass, password = s3cret",
                "type = hmac-sha256, keys = [{ id = 1, key = \"file:" + key + "\" }]"), "rw-r--r--");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("warning: " + key + " is readable by other users and holds secrets"
                + " (vipkeeper.vrrp.instances.web.authentication.keys[0].key); chmod 640 " + key + "\n", r.err());
    }

    @Test
    void anIncludedFileHoldingTheKeyIsTheOneWarnedAbout() throws Exception {
        Path keys = withMode("keys.conf", "authentication { type = hmac-sha256, key = \"hex:" + "ab".repeat(32)
                + "\" }\n", "rw-r--r--");
        Path f = withMode("main.conf", "vipkeeper.vrrp.instance-defaults { include \"keys.conf\" }\n"
                + PASS_INSTANCE.replace(",\n  authentication { type = pass, password = s3cret }", ""), "rw-r-----");
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("warning: " + keys + " is readable by other users and holds secrets"
                + " (vipkeeper.vrrp.instance-defaults.authentication.key); chmod 640 " + keys + "\n", r.err());
    }

    @Test
    void whatCannotWorkOnThisHostIsWarnedAboutAtItsLineAndTheExitIsZero() throws Exception {
        // lo and 127.0.0.1 are on every host, vk-nosuch0 on none.
        Path f = Files.writeString(dir.resolve("warn.conf"), String.join("\n",
                "vipkeeper.vrrp.instances.web {",
                "  interface = lo, virtual-router-id = 51, virtual-ips = [\"198.18.0.100/24\"]",
                "  track-interfaces = [\"vk-nosuch0\"]",
                "  unicast-peers = [\"198.18.0.2\", \"127.0.0.1\"]",
                "}",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,"
                        + " real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.virtual-servers.other { address = \"198.18.0.50\", port = 80,"
                        + " real-servers = [{ address = \"198.18.0.13\" }] }", ""));
        CliRun r = CliRun.of("check", "-f", f.toString(), "--data-plane", "ipvs");
        assertEquals(String.join("\n",
                "warning: " + f + ":3: vipkeeper.vrrp.instances.web.track-interfaces[0]: this host has no interface"
                        + " vk-nosuch0 (tracked as down until it appears)",
                "warning: " + f + ":4: vipkeeper.vrrp.instances.web.unicast-peers[1]: 127.0.0.1 is this host's own"
                        + " address (on lo): unicast-peers lists the other nodes (a file copied from another node?)",
                "warning: " + f + ":7: vipkeeper.ipvs.virtual-servers.other.address: 198.18.0.50 is in no VRRP"
                        + " instance's virtual-ips (nothing here puts it on this host, and only an address the host"
                        + " holds is balanced)",
                ""), r.err());
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith(f + ": OK: 1 VRRP instance, 2 virtual servers, 2 real servers\n"), r.out());
    }

    @Test
    void aKeepalivedConfIsOneProblemThatSaysHowToImportIt() throws Exception {
        Path f = Files.writeString(dir.resolve("keepalived.conf"), String.join("\n",
                "! Configuration File for keepalived",
                "vrrp_instance VI_1 {",
                "    state MASTER",
                "    interface eth0",
                "    virtual_router_id 51",
                "    virtual_ipaddress {",
                "        198.18.0.100/24",
                "    }",
                "}", ""));
        CliRun r = CliRun.of("check", "-f", f.toString());
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals(f + ":2: this looks like keepalived.conf: vipkeeper import-keepalived " + f + "\n"
                + f + ": 1 problem, nothing was changed\n", r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, CliRun.of("chek").exitCode());
        assertEquals(2, CliRun.of().exitCode());
        assertEquals(2, CliRun.of("check", "--bogus").exitCode());
    }

    @Test
    void versionNamesTheBuild() {
        CliRun r = CliRun.of("version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("vipkeeper " + Version.get() + " (Java "), r.out());
        assertTrue(!Version.get().contains("${"), "version.properties was not filtered: " + Version.get());
    }
}
