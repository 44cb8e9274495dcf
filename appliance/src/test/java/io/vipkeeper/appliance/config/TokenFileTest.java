package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file: its lines, its tokens' strength, its mode and owner, and its problems at FILE:LINE. */
class TokenFileTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef";
    private static final String B64 = "q2Vx+9Jd/Lk3mZ8wRt5uYa";

    @TempDir
    Path dir;

    private Path file(String text, String mode) throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static String problem(List<String> lines) {
        return assertThrows(TokenFile.Problem.class, () -> TokenFile.parse("tokens", lines)).getMessage();
    }

    @Test
    void readsNamesAndTokensSkippingCommentsAndBlankLines() throws Exception {
        TokenFile.Tokens t = TokenFile.parse("tokens", List.of("# who may write", "", "ops " + HEX + "  # the on-call",
                "   ", "deploy\t" + B64));
        assertEquals(List.of(new TokenFile.Token("ops", HEX), new TokenFile.Token("deploy", B64)), t.all());
        assertEquals("Tokens[ops, deploy]", t.toString(), "a token's secret never shows in the settings' text");
        assertFalse(t.all().get(0).toString().contains(HEX));
    }

    @Test
    void refusesTokensOfLessThan128Bits() {
        assertEquals(128, TokenFile.bits(HEX));
        assertEquals(132, TokenFile.bits(B64));
        assertEquals(132, TokenFile.bits(B64 + "=="), "padding carries nothing");
        assertEquals("tokens:2: the token of ops is too short: about 124 bits, at least 128 wanted (make one with:"
                + " openssl rand -hex 32)", problem(List.of("# short", "ops " + HEX.substring(1))));
        assertTrue(problem(List.of("ops secret")).startsWith("tokens:1: the token of ops is too short: about 36 bits"));
    }

    @Test
    void refusesMalformedLinesAtTheirLine() {
        assertEquals("tokens:1: expected \"name token\", got 1 field(s)", problem(List.of(HEX)));
        assertEquals("tokens:1: expected \"name token\", got 3 field(s)", problem(List.of("ops " + HEX + " extra")));
        assertEquals("tokens:1: \"o:ps\" is not a token name (letters, digits, _ . @ -; up to 64)",
                problem(List.of("o:ps " + HEX)));
        assertTrue(problem(List.of("ops " + HEX + "\"x")).startsWith("tokens:1: the token of ops has characters"));
        assertEquals("tokens:2: a second token named ops: each name once, so a change names its maker",
                problem(List.of("ops " + HEX, "ops " + B64)));
        assertEquals("tokens:2: the token of deploy is another name's too: each holder needs its own",
                problem(List.of("ops " + HEX, "deploy " + HEX)));
    }

    @Test
    void theDaemonsFileMustBeRootsAndReadableByItAlone() throws Exception {
        Path f = file("ops " + HEX + "\n", "rw-------");
        assertEquals(List.of(new TokenFile.Token("ops", HEX)), TokenFile.readForDaemon(f).all());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        assertEquals(1, TokenFile.readForDaemon(f).all().size(), "stricter than 0600 is fine");

        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(f + " is mode 0644: a token file must be readable by its owner only (chmod 600 " + f + ")",
                assertThrows(TokenFile.Problem.class, () -> TokenFile.readForDaemon(f)).getMessage());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertThrows(TokenFile.Problem.class, () -> TokenFile.readForDaemon(f), "group read is too much too");

        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(f, "unix:uid", 65534);
        assertEquals(f + " is owned by uid 65534: a token file must be owned by root (chown root " + f + ")",
                assertThrows(TokenFile.Problem.class, () -> TokenFile.readForDaemon(f)).getMessage());
    }

    @Test
    void theDaemonsFileMayBeEmptySoTheLastTokenCanBeRevokedButMustExist() throws Exception {
        Path f = file("# nobody yet\n", "rw-------");
        assertTrue(TokenFile.readForDaemon(f).all().isEmpty(), "no token: every write over TCP gets 401");
        assertTrue(assertThrows(TokenFile.Problem.class, () -> TokenFile.readForDaemon(dir.resolve("none")))
                .getMessage().endsWith(": no such file"));
    }

    @Test
    void theConfigNamesTheTokenFileAtItsLineAndReadsItAgainAtEachLoad() throws Exception {
        Path tokens = file("ops " + HEX + "\n", "rw-r--r--");
        Path conf = ConfigFiles.write(dir, "vipkeeper.conf", """
                vipkeeper.allow-empty = true
                vipkeeper.api {
                  write = on
                  token-file = "%s"
                }
                """.formatted(tokens));
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(conf));
        assertEquals(List.of(conf + ":4: vipkeeper.api.token-file: " + tokens + " is mode 0644: a token file must be"
                + " readable by its owner only (chmod 600 " + tokens + ")"),
                e.problems().stream().map(ConfigProblem::format).toList());

        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        ApiSettings api = ConfigLoader.load(conf).api();
        assertTrue(api.write());
        assertEquals(List.of("ops"), api.tokens().all().stream().map(TokenFile.Token::name).toList());

        Files.writeString(tokens, "deploy " + B64 + "\n");
        assertEquals(List.of(new TokenFile.Token("deploy", B64)), ConfigLoader.load(conf).api().tokens().all(),
                "a reload reads the file again");
        Files.writeString(tokens, "deploy short\n");
        e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(conf));
        assertEquals(List.of(conf + ":4: vipkeeper.api.token-file: " + tokens + ":1: the token of deploy is too short:"
                + " about 30 bits, at least 128 wanted (make one with: openssl rand -hex 32)"),
                e.problems().stream().map(ConfigProblem::format).toList());
    }
}
