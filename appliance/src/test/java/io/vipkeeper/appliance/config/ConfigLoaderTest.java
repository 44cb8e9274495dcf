package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static List<String> problems(Path file) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));
        return e.problems().stream().map(ConfigProblem::format).toList();
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.conf");
        assertEquals(List.of(file + ": cannot read: no such file"), problems(file));
    }

    @Test
    void directoryIsNotReadableAsConfig() {
        assertEquals(List.of(dir + ": cannot read: not a regular file"), problems(dir));
    }

    @Test
    void everyProblemIsReportedInOneRunSortedByLine() {
        Path file = ConfigFiles.write(dir, "many.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web {",
                "  interface = \"eth0\"",
                "  virtual-router-id = 0",
                "  priority = 256",
                "  virtual-ips = [\"198.18.0.1/33\"]",
                "}",
                "vipkeeper.ipvs.virtual-servers.x { address = \"198.18.0.100\", port = 99999 }",
                ""));
        assertEquals(List.of(
                file + ":3: vipkeeper.vrrp.instances.web.virtual-router-id: 0 is out of range 1..255",
                file + ":4: vipkeeper.vrrp.instances.web.priority: 256 is out of range 1..255",
                file + ":5: vipkeeper.vrrp.instances.web.virtual-ips[0]: \"198.18.0.1/33\" is not an IP address with an optional /prefix",
                file + ":7: vipkeeper.ipvs.virtual-servers.x.port: 99999 is out of range 0..65535"),
                problems(file));
    }

    @Test
    void aBlockWrittenAsAnOptionalSubstitutionIsReadNotThrown() throws Exception {
        // Found by ApplianceFuzzTest: ConfigException.NotResolved escaped the loader for both.
        Path gone = ConfigFiles.write(dir, "gone.conf", "vipkeeper.allow-empty = true\nvipkeeper.vrrp = ${?nothing}\n");
        assertEquals(Settings.class, ConfigLoader.load(gone).getClass());
        Path merged = ConfigFiles.write(dir, "merged.conf", String.join("\n",
                "vipkeeper.vrrp = ${?nothing}",
                "vipkeeper.vrrp { bogus = 1 }", ""));
        assertEquals(List.of(merged + ":2: vipkeeper.vrrp.bogus: unknown key"), problems(merged));
    }

    @Test
    void problemsAtValuesPutTogetherInSeveralPlacesStillHaveAFileAndLine() {
        // Found by ApplianceFuzzTest: "merge of FILE: 1,reference.conf @ jar:...: 190: ..." (a block
        // or value typesafe-config merged from several places) and "FILE: 1: ..." (an origin rebuilt
        // from its description) instead of FILE:LINE.
        Path nulled = ConfigFiles.write(dir, "nulled.conf", String.join("\n",
                "vipkeeper.ipvs.virtual-server-defaults.health-check.http.path = null",
                "vipkeeper.ipvs.virtual-servers.web {",
                "  address = \"198.18.0.100\", port = 80, health-check { type = http }",
                "  real-servers = [{ address = \"198.18.0.13\" }]",
                "}", ""));
        // Said once, at the virtual server: its real servers' copies of the check are not read again.
        assertEquals(List.of(
                nulled + ":1: vipkeeper.ipvs.virtual-servers.web.health-check.http: missing required key path"),
                problems(nulled));
        Path concatenated = ConfigFiles.write(dir, "concatenated.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web {",
                "  interface = eth0, virtual-router-id = 51${vipkeeper.log-level}, virtual-ips = [\"198.18.0.1\"]",
                "  track-interfaces = [${vipkeeper.log-level} \"eth2\"]",
                "}", ""));
        List<String> found = problems(concatenated);
        assertEquals(2, found.size(), found.toString());
        assertEquals(concatenated + ":2: vipkeeper.vrrp.instances.web.virtual-router-id: expected a whole number, "
                + "got \"51info\"", found.get(0));
        assertEquals(true, found.get(1).startsWith(concatenated + ":3: vipkeeper.vrrp.instances.web.track-interfaces[0]"),
                found.get(1));
        Path split = ConfigFiles.write(dir, "split/main.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web { interface = eth0 }",
                "include \"vips.conf\"", ""));
        ConfigFiles.write(dir, "split/vips.conf", "vipkeeper.vrrp.instances.web.virtual-ips = [\"198.18.0.7\"]\n");
        assertEquals(List.of(dir.resolve("split/vips.conf") + ":1: vipkeeper.vrrp.instances.web: missing required key "
                + "virtual-router-id"), problems(split));
        Path hidden = ConfigFiles.write(dir, "hidden/main.conf", String.join("\n",
                "vipkeeper = \"\"",
                "vipkeeper.vrrp.instances { }",
                "include \"part.conf\"", ""));
        ConfigFiles.write(dir, "hidden/part.conf", "vipkeeper.vrrp.scripts { }\n");
        assertAllAtALine(dir, problems(hidden));
        Path notABlock = ConfigFiles.write(dir, "not-a-block.conf", String.join("\n",
                "vipkeeper.ipvs.virtual-servers.web {",
                "  address = \"198.18.0.100\", port = 80, health-check = 5",
                "  real-servers = [{ address = \"198.18.0.13\" }]",
                "}", ""));
        found = problems(notABlock);
        assertEquals(true, found.contains(notABlock + ":2: vipkeeper.ipvs.virtual-servers.web.health-check: "
                + "expected a block { ... }, got 5"), found.toString());
        assertAllAtALine(dir, found);
    }

    private static void assertAllAtALine(Path dir, List<String> problems) {
        assertEquals(false, problems.isEmpty());
        problems.forEach(p -> assertEquals(true, p.matches(java.util.regex.Pattern.quote(dir.toString())
                + "/[^:]+:[1-9][0-9]*: .*"), p));
    }

    @Test
    void anIncludeNamedWithANulIsAProblemNotAnException() {
        // Path.of threw InvalidPathException out of the loader while naming the missing file.
        Path file = ConfigFiles.write(dir, "nul.conf", "include \"parts\\u0000x.conf\"\nvipkeeper.allow-empty = true\n");
        assertEquals(List.of(file + ":1: cannot read: include \"parts\u0000x.conf\": no such file next to this file"),
                problems(file));
    }

    @Test
    void includeIsRelativeToTheIncludingFile() throws Exception {
        ConfigFiles.write(dir, "sub/vips.conf", "vipkeeper.vrrp.instances.web.virtual-ips = [\"198.18.0.7\"]\n");
        ConfigFiles.write(dir, "sub/main.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 9 }",
                "include \"vips.conf\"", ""));
        Settings s = ConfigLoader.load(dir.resolve("sub/main.conf"));
        assertEquals("198.18.0.7/32", s.vrrp().instances().get("web").virtualIps().get(0).toString());
    }

    @Test
    void substitutionsResolveWithinTheFileButNotFromSystemProperties() throws Exception {
        Path file = ConfigFiles.write(dir, "subst.conf", String.join("\n",
                "vip = \"198.18.0.5\"",
                "vipkeeper.real-server.vips = [${vip}]", ""));
        // A helper key at the top level is still an unknown key: only vipkeeper { } is read.
        assertEquals(List.of(file + ":1: vip: unknown key"), problems(file));
        Path ok = ConfigFiles.write(dir, "subst-ok.conf", String.join("\n",
                "vipkeeper.real-server.vips = [\"198.18.0.5\"]",
                "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 5, virtual-ips = ${vipkeeper.real-server.vips} }",
                ""));
        assertEquals("198.18.0.5/32", ConfigLoader.load(ok).vrrp().instances().get("web").virtualIps().get(0).toString());
        System.setProperty("vipkeeper.node-name", "from-system-property");
        try {
            Path plain = ConfigFiles.write(dir, "plain.conf", "vipkeeper.allow-empty = true\n");
            assertEquals(SettingsReader.hostName(), ConfigLoader.load(plain).nodeName());
        } finally {
            System.clearProperty("vipkeeper.node-name");
        }
    }

    @Test
    void anEmptyFileHasNothingToDoAndIsRefused() {
        Path file = ConfigFiles.write(dir, "empty.conf", "");
        assertEquals(List.of(file + ":1: " + SettingsReader.NOTHING_TO_DO), problems(file));
    }

    @Test
    void aFileThatSaysItMeansNothingLoads() throws Exception {
        Settings s = ConfigLoader.load(ConfigFiles.write(dir, "drain.conf", "vipkeeper.allow-empty = true\n"));
        assertTrue(s.allowEmpty());
        assertTrue(s.runsNothing());
    }

    @Test
    void aBackendsFileWithOnlyRealServerVipsHasSomethingToDo() throws Exception {
        Settings s = ConfigLoader.load(ConfigFiles.write(dir, "backend.conf", "vipkeeper.real-server.vips = [\"198.18.0.5\"]\n"));
        assertTrue(s.runsNothing());
        assertFalse(s.configuresNothing());
    }

    private static final String ONE = "vipkeeper.vrrp.instances.a { interface = eth0, virtual-router-id = 1,"
            + " virtual-ips = [\"198.18.0.1\"] }\n";
    private static final String TWO = ONE + "vipkeeper.vrrp.instances.b { interface = eth0, virtual-router-id = 2,"
            + " virtual-ips = [\"198.18.0.2\"] }\n";

    /** Writes {@code text} to {@code file} the first time it runs, as a writer finishing after the parse. */
    private static Runnable finishOnce(Path file, String text) {
        int[] runs = {0};
        return () -> {
            if (runs[0]++ == 0) {
                ConfigFiles.write(file.getParent(), file.getFileName().toString(), text);
            }
        };
    }

    @Test
    void aFileFinishedAfterItWasParsedIsReadAgainNotTakenHalfWritten() throws Exception {
        // The parse saw the first of two instances (the writer had not got further): a valid file
        // that would remove instance b. The finished file is what must load.
        Path file = ConfigFiles.write(dir, "main.conf", ONE);
        Settings s = ConfigLoader.load(file, ConfigCache.NONE, finishOnce(file, TWO));
        assertEquals(List.of("a", "b"), List.copyOf(s.vrrp().instances().keySet()));
    }

    @Test
    void aSyntaxErrorInAFileStillBeingWrittenIsNotReported() throws Exception {
        // Cut inside instance b's block: "{" not closed.
        Path file = ConfigFiles.write(dir, "main.conf", TWO.substring(0, ONE.length() + 40));
        Settings s = ConfigLoader.load(file, ConfigCache.create(), finishOnce(file, TWO));
        assertEquals(2, s.vrrp().instances().size());
    }

    @Test
    void anIncludedFileFinishedAfterTheParseIsReadAgain() throws Exception {
        Path part = ConfigFiles.write(dir, "part.conf", "");
        Path file = ConfigFiles.write(dir, "main.conf", ONE + "include \"part.conf\"\n");
        String b = TWO.substring(ONE.length());
        ConfigCache cache = ConfigCache.create();
        Settings s = ConfigLoader.load(file, cache, finishOnce(part, b));
        assertEquals(List.of("a", "b"), List.copyOf(s.vrrp().instances().keySet()));
        // The cache did not keep the parse of the empty part either.
        assertEquals(s.vrrp(), ConfigLoader.load(file, cache).vrrp());
    }

    @Test
    void aFileThatKeepsChangingIsReportedAfterAFewTries() {
        Path file = ConfigFiles.write(dir, "main.conf", ONE);
        int[] runs = {0};
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file,
                ConfigCache.NONE, () -> ConfigFiles.write(dir, "main.conf", runs[0]++ % 2 == 0 ? TWO : ONE)));
        assertEquals(List.of(file + ": changed while it was being read, " + ConfigLoader.READ_ATTEMPTS
                + " times in a row; is something still writing it?"),
                e.problems().stream().map(ConfigProblem::format).toList());
        assertEquals(ConfigLoader.READ_ATTEMPTS, runs[0]);
    }

    @Test
    void theDigestIsTheSha256OfTheFileThenItsIncludes() throws Exception {
        Path part = ConfigFiles.write(dir, "part.conf", TWO.substring(ONE.length()));
        String main = ONE + "include \"part.conf\"\n";
        Path file = ConfigFiles.write(dir, "main.conf", main);
        Settings s = ConfigLoader.load(file);
        assertEquals(sha256(main + Files.readString(part)), s.digest());
        Files.writeString(part, Files.readString(part).replace("198.18.0.2", "198.18.0.3"));
        assertNotEquals(s.digest(), ConfigLoader.load(file).digest(), "an edit of an included file shows");
        assertEquals(sha256(TWO), ConfigLoader.load(ConfigFiles.write(dir, "one.conf", TWO)).digest());
    }

    /** The load's problems, from a thread of its own given 20 s: a load that hangs fails the test. */
    private static List<String> problemsWithin20s(Path file) throws Exception {
        return problemsWithin(file, 20);
    }

    private static List<String> problemsWithin(Path file, int seconds) throws Exception {
        Object[] outcome = new Object[1];
        // A small stack, so that deep nesting overflows it at once in any JVM.
        Thread t = new Thread(null, () -> {
            try {
                outcome[0] = ConfigLoader.load(file);
            } catch (Throwable e) {
                outcome[0] = e;
            }
        }, "load", 512 * 1024);
        t.setDaemon(true);
        t.start();
        t.join(seconds * 1000L);
        assertFalse(t.isAlive(), "the load did not end in " + seconds + " s");
        if (outcome[0] instanceof InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::format).toList();
        }
        throw new AssertionError("expected problems, got " + outcome[0],
                outcome[0] instanceof Throwable e ? e : null);
    }

    @Test
    void anIncludedFifoIsRefusedNotWaitedFor() throws Exception {
        Path fifo = dir.resolve("extra.inc");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path file = ConfigFiles.write(dir, "main.conf", "vipkeeper.allow-empty = true\ninclude \"extra.inc\"\n");
        try {
            assertEquals(List.of(file + ":2: cannot read: " + fifo + " is not a regular file"), problemsWithin20s(file));
        } finally {
            // Frees a load still waiting in open() for a writer (read and write: never blocks itself).
            new java.io.RandomAccessFile(fifo.toFile(), "rw").close();
        }
    }

    @Test
    void anIncludeLinkedToDevZeroIsRefusedNotReadForever() throws Exception {
        Files.createDirectories(dir.resolve("parts"));
        Files.createSymbolicLink(dir.resolve("parts/zero.conf"), Path.of("/dev/zero"));
        Path file = ConfigFiles.write(dir, "main.conf", "# parts\nvipkeeper.allow-empty = true\n"
                + "vipkeeper { include \"parts/zero.conf\" }\n");
        assertEquals(List.of(file + ":3: cannot read: " + dir.resolve("parts/zero.conf") + " is not a regular file"),
                problemsWithin20s(file));
    }

    @Test
    void aFileOverTheSizeCapIsRefusedBeforeItIsRead() throws Exception {
        Path big = dir.resolve("big.conf");
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(FilesRead.MAX_FILE_BYTES + 1);
        }
        Path file = ConfigFiles.write(dir, "main.conf", "include \"big.conf\"\n");
        assertEquals(List.of(file + ":1: cannot read: " + big + " is too large: over " + FilesRead.MAX_FILE_BYTES
                + " bytes"), problemsWithin20s(file));
    }

    @Test
    void aSubstitutionThatDoublesUntilTheHeapIsFullIsAProblemAtLine1() throws Exception {
        StringBuilder bomb = new StringBuilder("vipkeeper.allow-empty = true\nx0 = \"ab\"\n");
        for (int i = 1; i <= 40; i++) {
            bomb.append("x").append(i).append(" = ${x").append(i - 1).append("} ${x").append(i - 1).append("}\n");
        }
        Path file = ConfigFiles.write(dir, "bomb.conf", bomb.toString());
        // Strings past 2^31 characters overflow whatever the heap: ~10 s of doubling here.
        assertEquals(List.of(file + ":1: " + ConfigLoader.TOO_LARGE_TO_RESOLVE), problemsWithin(file, 120));
    }

    @Test
    void nestingDeeperThanTheStackIsAProblemAtLine1() throws Exception {
        Path file = ConfigFiles.write(dir, "deep.conf", "vipkeeper.allow-empty = true\n"
                + "a {".repeat(20_000) + "}".repeat(20_000) + "\n");
        assertEquals(List.of(file + ":1: " + ConfigLoader.TOO_LARGE_TO_RESOLVE), problemsWithin20s(file));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
