package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place a control command's transport is chosen, and the options it refuses. */
class DaemonLinkTest {
    private static final String OPS = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private DaemonLink link(String url, Path tokenFile, String tokenName, Path caCert) throws DaemonLink.Problem {
        return DaemonLink.of(new DaemonLink.Options(dir.resolve("control.sock"), url, tokenFile, tokenName, caCert));
    }

    private String problem(String url, Path tokenFile, String tokenName, Path caCert) {
        return assertThrows(DaemonLink.Problem.class, () -> link(url, tokenFile, tokenName, caCert)).getMessage();
    }

    @Test
    void withoutAUrlItIsTheControlSocketBesideThePidFile() throws Exception {
        assertEquals(dir.resolve("control.sock").toString(), link(null, null, null, null).where());
        assertEquals("--token-file and --cacert go with --url (the control socket needs neither)",
                problem(null, dir.resolve("t"), null, null));
    }

    @Test
    void withAUrlItIsTheHttpApi() throws Exception {
        assertEquals("https://lb1:9180", link("https://lb1:9180/", null, null, null).where());
        assertEquals("--url ftp://lb1:9180: expected http(s)://HOST:PORT", problem("ftp://lb1:9180", null, null, null));
        assertEquals("--url lb1:9180: expected http(s)://HOST:PORT", problem("lb1:9180", null, null, null));
    }

    @Test
    void picksTheTokenByNameWhenTheFileHoldsSeveral() throws Exception {
        Path one = Files.writeString(dir.resolve("one"), "ops " + OPS + "\n");
        link("https://lb1:9180", one, null, null);
        Path two = Files.writeString(dir.resolve("two"), "ops " + OPS + "\ndeploy " + OPS.replace('0', 'f') + "\n");
        link("https://lb1:9180", two, "deploy", null);
        assertEquals(two + " holds 2 tokens: say which with --token-name", problem("https://lb1:9180", two, null, null));
        assertEquals(two + " has no token named ci", problem("https://lb1:9180", two, "ci", null));
        Path weak = Files.writeString(dir.resolve("weak"), "ops secret\n");
        assertEquals(weak + ":1: the token of ops is too short: about 36 bits, at least 128 wanted (make one with:"
                + " openssl rand -hex 32)", problem("https://lb1:9180", weak, null, null));
    }

    @Test
    void aCaFileMustHoldACertificate() throws Exception {
        Path empty = Files.writeString(dir.resolve("ca.pem"), "");
        assertEquals("--cacert " + empty + ": no PEM certificate in it", problem("https://lb1:9180", null, null, empty));
    }
}
