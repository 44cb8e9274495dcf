package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import-keepalived} end to end in-process: exit statuses, stderr, and the real checker on every import. */
class ImportKeepalivedCommandTest {
    static final Path FIXTURES = Path.of("src/test/resources/keepalived");

    @TempDir
    Path dir;

    /** Every fixture with the exit status its import must have. */
    static Stream<Arguments> fixtures() {
        return Stream.of(Arguments.of("vrrp-pair.conf", 3), Arguments.of("lvs-nat.conf", 3),
                Arguments.of("lvs-dr-fwmark.conf", 0), Arguments.of("syntax.conf", 0),
                Arguments.of("fallbacks.conf", 0), Arguments.of("hmac.conf", 0),
                Arguments.of("wire.conf", 0));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyImportPassesTheRealChecker(String fixture, int exit) throws Exception {
        Path out = dir.resolve(fixture);
        CliRun imp = CliRun.of("import-keepalived", FIXTURES.resolve(fixture).toString(), "--config-id", "lb1",
                "-o", out.toString());
        assertEquals(exit, imp.exitCode(), imp.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        imp.err().lines().forEach(l -> assertTrue(l.startsWith(FIXTURES.resolve(fixture).toString() + ":")
                || l.startsWith(FIXTURES.resolve("syntax.d").toString()), l));
        CliRun check = CliRun.of("check", "-f", out.toString(), "--data-plane", "ipvs");
        assertEquals(0, check.exitCode(), check.err() + "\n" + Files.readString(out));
    }

    @Test
    void secretsGoToTheOutputAndNeverToStderr() throws Exception {
        CliRun imp = CliRun.of("import-keepalived", FIXTURES.resolve("vrrp-pair.conf").toString());
        assertTrue(imp.out().contains("password = \"s3cr3tpw\""), imp.out());
        assertFalse(imp.err().contains("s3cr3tpw"), imp.err());
        CliRun hmac = CliRun.of("import-keepalived", FIXTURES.resolve("hmac.conf").toString());
        assertTrue(hmac.out().contains("key = \"hex:000102"), hmac.out());
        assertFalse(hmac.err().contains("000102"), hmac.err());
    }

    @Test
    void anAuthHmacRingIsCarriedWholeAndWhatKeepalivedSkipsIsSkipped() {
        CliRun imp = CliRun.of("import-keepalived", FIXTURES.resolve("hmac.conf").toString());
        assertEquals(0, imp.exitCode(), imp.err());
        String vi2 = imp.out().substring(imp.out().indexOf("VI_2"));
        String flat = vi2.replaceAll("\\s+", " ");
        assertTrue(flat.contains("keys = [ { id = 1 key = \"hex:000102"), vi2);
        assertTrue(flat.contains("{ id = 2 key = \"an ascii key of at least thirty-two bytes\" }"), vi2);
        assertFalse(vi2.contains("id = 3") || vi2.contains("ffffffff"), vi2);
        for (String line : new String[] {"active-key = 2", "mode = \"permissive\"", "anti-replay = \"monotonic\"",
            "time-window = \"10s\""}) {
            assertTrue(vi2.contains(line), line + " in\n" + vi2);
        }
        String f = FIXTURES.resolve("hmac.conf").toString();
        assertTrue(imp.err().contains(f + ":26: key: keepalived falls back: key 3 is 2 bytes, not 32..64: keepalived skips it"), imp.err());
        assertTrue(imp.err().contains(f + ":27: key: keepalived falls back: key id 2 is defined twice: keepalived keeps the first"), imp.err());
        assertFalse(imp.err().contains("ascii") || imp.err().contains("000102"), imp.err());
    }

    @Test
    void everyLeftOutKeywordIsOneLineWithItsFileLineAndWhatToDo() {
        CliRun imp = CliRun.of("import-keepalived", FIXTURES.resolve("lvs-nat.conf").toString());
        assertEquals(3, imp.exitCode());
        assertTrue(imp.err().contains(FIXTURES.resolve("lvs-nat.conf") + ":39: digest: keepalived compares the body's "
                + "MD5; vipkeeper compares SHA-256: set http.body-sha256"), imp.err());
    }

    @Test
    void stderrFollowsTheFilesLineOrder() {
        CliRun imp = CliRun.of("import-keepalived", FIXTURES.resolve("fallbacks.conf").toString());
        java.util.List<Integer> lines = imp.err().lines().map(l -> Integer.parseInt(l.split(":")[1])).toList();
        assertTrue(lines.size() > 3, imp.err());
        assertEquals(lines.stream().sorted().toList(), lines, imp.err());
    }

    @Test
    void anUnreadableFileExitsOne() {
        CliRun imp = CliRun.of("import-keepalived", dir.resolve("missing.conf").toString());
        assertEquals(1, imp.exitCode());
        assertTrue(imp.err().startsWith(dir.resolve("missing.conf") + ": cannot read: "), imp.err());
        assertEquals("", imp.out());
    }

    @Test
    void aFileThatExpandsWithoutBoundExitsOneWithOneLineAndNoStackTrace() throws Exception {
        Path f = dir.resolve("loop.conf");
        Files.writeString(f, "vrrp_instance A {\n}\ninclude loop.conf\ninclude loop.conf\n");
        CliRun imp = CliRun.of("import-keepalived", f.toString());
        assertEquals(1, imp.exitCode(), imp.err());
        assertEquals(1, imp.err().lines().count(), imp.err());
        assertTrue(imp.err().startsWith(f + ":4: include: more than "), imp.err());
        assertEquals("", imp.out());
    }

    @Test
    void argumentsOfProgramLinesNeverReachStderrOnlyTheKeywordAndLine() throws Exception {
        Path f = dir.resolve("notify.conf");
        Files.writeString(f, "vrrp_script chk {\n script \"curl -u admin:Pw0rdAB http://198.18.0.9/\"\n}\n"
                + "vrrp_instance A {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  198.18.0.1/24\n }\n"
                + " notify_master \"/bin/echo S3cr3tXY\"\n notify_fault \"/usr/bin/curl -u user:pw1X http://x/\"\n"
                + " track_script {\n  chk\n }\n}\n");
        CliRun imp = CliRun.of("import-keepalived", f.toString());
        assertEquals(3, imp.exitCode(), imp.err());
        for (String secret : new String[] {"S3cr3tXY", "pw1X", "Pw0rdAB"}) {
            assertFalse(imp.err().contains(secret), imp.err());
        }
        assertTrue(imp.err().contains(f + ":10: notify_master: "), imp.err());
        assertTrue(imp.err().contains(f + ":11: notify_fault: "), imp.err());
    }
}
