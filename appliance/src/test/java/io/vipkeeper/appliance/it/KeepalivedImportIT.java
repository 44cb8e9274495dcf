package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keepalived fixtures against keepalived itself: {@code keepalived -t} (Debian's 2.2.7) accepts
 * each one in a namespace that has every interface the files name, and the jar's
 * {@code import-keepalived} output of each passes the jar's {@code check}. The fallback fixture is
 * the other way round: every line keepalived complains about is one the import reports as a
 * fallback. auth_hmac (2.4 only) stays out of the keepalived run.
 */
class KeepalivedImportIT {
    private static final Path FIXTURES = Path.of("src/test/resources/keepalived").toAbsolutePath();
    private static final List<String> ACCEPTED = List.of("vrrp-pair.conf", "lvs-nat.conf", "lvs-dr-fwmark.conf",
            "syntax.conf", "wire.conf", "vrrp-features.conf");
    private static final Pattern KEEPALIVED_LINE = Pattern.compile("\\((\\S+): Line (\\d+)\\)");

    private static Lab lab;
    private static String ns;

    @TempDir
    Path dir;

    @BeforeAll
    static void namespace() throws Exception {
        lab = Lab.create("198.19.17");
        ns = lab.node("ka", 1);
        Lab.sh("ip", "-n", ns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
        Lab.sh("ip", "-n", ns, "link", "set", "eth1", "up");
    }

    @AfterAll
    static void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Run keepalivedCheck(Path file) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "keepalived", "-t", "-l", "--config-id", "lb1",
                "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "keepalived -t did not end");
        return new Run(p.exitValue(), out);
    }

    private record Run(int exit, String out) {
    }

    @Test
    void keepalivedAcceptsEveryFixtureAndCheckAcceptsEveryImport() throws Exception {
        for (String fixture : ACCEPTED) {
            Run k = keepalivedCheck(FIXTURES.resolve(fixture));
            assertEquals(0, k.exit(), fixture + ": keepalived -t:\n" + k.out());
        }
        for (String fixture : List.of("vrrp-pair.conf", "lvs-nat.conf", "lvs-dr-fwmark.conf", "syntax.conf",
                "fallbacks.conf", "hmac.conf", "wire.conf", "vrrp-features.conf")) {
            Path out = dir.resolve(fixture);
            JarProcess imp = JarProcess.start(dir, "import-keepalived", FIXTURES.resolve(fixture).toString(),
                    "--config-id", "lb1", "-o", out.toString());
            int exit = imp.waitFor();
            assertTrue(exit == 0 || exit == 3, fixture + ": " + exit + "\n" + imp.err());
            JarProcess check = JarProcess.start(dir, "check", "-f", out.toString(), "--data-plane", "ipvs");
            assertEquals(0, check.waitFor(), fixture + ": " + check.err() + "\n" + Files.readString(out));
        }
    }

    @Test
    void everyLineKeepalivedRunsOtherwiseIsAFallbackOfTheImport() throws Exception {
        Path fixture = FIXTURES.resolve("fallbacks.conf");
        Run k = keepalivedCheck(fixture);
        assertFalse(k.exit() == 0, k.out());
        Set<Integer> keepalivedLines = new TreeSet<>();
        Matcher m = KEEPALIVED_LINE.matcher(k.out());
        while (m.find()) {
            keepalivedLines.add(Integer.parseInt(m.group(2)));
        }
        assertFalse(keepalivedLines.isEmpty(), k.out());
        JarProcess imp = JarProcess.start(dir, "import-keepalived", fixture.toString());
        assertEquals(0, imp.waitFor(), imp.err());
        Set<Integer> importLines = new TreeSet<>();
        Matcher f = Pattern.compile(Pattern.quote(fixture.toString()) + ":(\\d+): [^:]+: keepalived falls back: ")
                .matcher(imp.err());
        while (f.find()) {
            importLines.add(Integer.parseInt(f.group(1)));
        }
        assertTrue(importLines.containsAll(keepalivedLines), "keepalived:\n" + k.out() + "\nimport:\n" + imp.err());
    }
}
