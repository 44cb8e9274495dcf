package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.PrometheusText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import io.vipkeeper.appliance.it.BackendCli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Writes over the HTTP API for real: the daemon jar on the nftables data plane in a director's
 * namespace, its API on the director's (non-loopback) address in TLS with a throwaway certificate
 * made by openssl, a token file of the test's own; orders come from a client namespace by
 * {@code vipkeeper backend ... --url} and curl. {@code nft} is the oracle for what the kernel holds.
 * The steps share one daemon, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenApiIT {
    private static final String SUBNET = "198.18.250";
    private static final String DIRECTOR = SUBNET + ".1";
    private static final String URL = "https://" + DIRECTOR + ":9180";
    private static final String VIP = SUBNET + ".100";
    private static final String WEB1 = SUBNET + ".11:80";
    private static final String WEB2 = SUBNET + ".12:80";
    /** 256 bits, as `openssl rand -hex 32` makes them. */
    private static final String TOKEN = HexFormat.of().formatHex(random());
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static Path tokens;
    private static Path cert;
    private static JarProcess daemon;
    private static NftLbTable lb;

    private static byte[] random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String config(boolean write) {
        return NatDirector.config("nftables", """
                api {
                  listen = "%s:9180"
                  write = %s
                  token-file = "%s"
                  tls { cert = "%s", key = "%s" }
                }
                """.formatted(DIRECTOR, write ? "on" : "off", tokens, cert, dir.resolve("key.pem")), "",
                NatDirector.web(VIP, "rr", "health-check.type = none",
                        "{ address = \"%s.11\" }, { address = \"%s.12\", weight = 2 }".formatted(SUBNET, SUBNET)));
    }

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create(SUBNET);
        lb = new NftLbTable(lab, "director");
        try {
            dir = Files.createTempDirectory("vk-token");
            lab.node("director", 1);
            lab.node("client", 50);
            Lab.sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=director",
                    "-addext", "subjectAltName=IP:" + DIRECTOR, "-keyout", dir.resolve("key.pem").toString(), "-out",
                    dir.resolve("cert.pem").toString());
            cert = dir.resolve("cert.pem");
            tokens = dir.resolve("tokens");
            Files.writeString(tokens, "# who may write\nops " + TOKEN + "\n");
            Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
            conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, config(true));
            daemon = lab.own(JarProcess.startIn(lab.ns("director"), dir, "run", "-f", conf.toString(),
                    "--pid-file", dir.resolve("vipkeeper.pid").toString(), "--state-dir", dir.resolve("state").toString()));
            daemon.awaitLog("change(s) at start");
            daemon.awaitLog("status API on https://" + DIRECTOR + ":9180/");
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** {@code vipkeeper backend ARGS --url URL --cacert cert.pem} from the client's namespace. */
    private static Cli backend(String... args) throws Exception {
        return BackendCli.finish(JarProcess.startIn(lab.ns("client"), dir,
                BackendCli.command(args, "--url", URL, "--cacert", cert.toString())));
    }

    /** curl from the client's namespace, trusting the test's certificate: the head and body it prints. */
    private static String curl(String... args) throws Exception {
        String[] cmd = new String[args.length + 9];
        System.arraycopy(new String[] {"ip", "netns", "exec", lab.ns("client"), "curl", "-sS", "-i", "--cacert",
            cert.toString()}, 0, cmd, 0, 9);
        System.arraycopy(args, 0, cmd, 9, args.length);
        return Lab.sh(cmd);
    }

    private static PrometheusText metrics() throws Exception {
        String m = curl(URL + "/metrics");
        return PrometheusText.parse(m.substring(m.indexOf("\r\n\r\n") + 4));
    }

    @Test
    @Order(1)
    void aDrainOverHttpsWithAValidTokenChangesTheTableAndIsLoggedWithTheTokensName() throws Exception {
        Lab.await(30, "both backends in the kernel", () -> lb.weights().equals(Map.of(WEB1, 1, WEB2, 2)));
        Cli c = backend("drain", "web", WEB2, "--token-file", tokens.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("web " + WEB2 + ": enabled -> drained, weight 0 while drained"), c.out());
        assertEquals(Map.of(WEB1, 1, WEB2, 0), lb.weights(), "the order returns once the kernel has it");
        daemon.awaitLog("backend web " + WEB2 + ": drain by token ops over https from " + SUBNET + ".50: enabled -> drained");
        assertEquals(1, metrics().value("vipkeeper_backend_orders_total", "order", "drain", "outcome", "changed"));

        Path two = dir.resolve("two-tokens");
        Files.writeString(two, "other " + "ab".repeat(16) + "\nops " + TOKEN + "\n");
        c = backend("enable", "web", WEB2, "--token-file", two.toString(), "--token-name", "ops");
        assertEquals(0, c.exit(), c.err());
        assertEquals(Map.of(WEB1, 1, WEB2, 2), lb.weights());
        c = backend("enable", "web", WEB2, "--token-file", two.toString());
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("holds 2 tokens: say which with --token-name"), c.err());
    }

    @Test
    @Order(2)
    void theWholeTcpApiIsTlsAndCurlTrustsItsCertificate() throws Exception {
        String status = curl(URL + "/status");
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        Cli list = backend("list", "web");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains(WEB2), list.out());
        IOException plain = assertThrows(IOException.class, () -> curl("--max-time", "3", "http://" + DIRECTOR + ":9180/status"));
        assertTrue(plain.getMessage().contains("curl: (52)") || plain.getMessage().contains("curl: (56)")
                || plain.getMessage().contains("curl: (1)"), "plain HTTP gets no answer: " + plain.getMessage());
        IOException untrusted = assertThrows(IOException.class, () -> Lab.sh("ip", "netns", "exec", lab.ns("client"),
                "curl", "-sS", "--max-time", "3", URL + "/status"));
        assertTrue(untrusted.getMessage().contains("curl: (60)"), "an unknown certificate is refused: " + untrusted.getMessage());
    }

    @Test
    @Order(3)
    void aMissingOrWrongTokenIs401AndChangesNothing() throws Exception {
        String table = lb.listing();
        String none = curl("-X", "POST", URL + "/backends/web/" + WEB1 + "/disable");
        assertTrue(none.startsWith("HTTP/1.1 401"), none);
        assertTrue(Pattern.compile("(?im)^www-authenticate: Bearer").matcher(none).find(), none);
        assertTrue(none.contains("a write needs \\\"Authorization: Bearer TOKEN\\\""), none);
        String wrong = curl("-X", "POST", "-H", "Authorization: Bearer " + TOKEN.replace(TOKEN.charAt(0),
                TOKEN.charAt(0) == 'a' ? 'b' : 'a'), URL + "/backends/web/" + WEB1 + "/disable");
        assertTrue(wrong.startsWith("HTTP/1.1 401"), wrong);
        Path bad = dir.resolve("bad-token");
        Files.writeString(bad, "ops " + "cd".repeat(16) + "\n");
        Cli c = backend("disable", "web", WEB1, "--token-file", bad.toString());
        assertEquals(1, c.exit(), c.out());
        assertTrue(c.err().contains("vipkeeper backend disable: the bearer token is not one of api.token-file's"), c.err());
        assertEquals(table, lb.listing(), "a refused order changes nothing");
        assertEquals(3, metrics().value("vipkeeper_backend_orders_total", "order", "disable", "outcome",
                "refused_unauthorized"));
        daemon.awaitLog("status API: refused a write from a client over https from " + SUBNET + ".50 (no token)");
        assertEquals(1, daemon.logCount("status API: refused a write"), "three refusals, one line a minute: "
                + daemon.err());
    }

    /** Reload and VRRP maintenance are writes like the backend orders: the same token decides. */
    @Test
    @Order(3)
    void reloadAndMaintenanceOverTcpNeedTheTokenToo() throws Exception {
        String none = curl("-X", "POST", URL + "/reload");
        assertTrue(none.startsWith("HTTP/1.1 401"), none);
        assertTrue(Pattern.compile("(?im)^www-authenticate: Bearer").matcher(none).find(), none);
        int reloads = daemon.logCount("reload succeeded");
        String ok = curl("-X", "POST", "-H", "Authorization: Bearer " + TOKEN, URL + "/reload");
        assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
        assertTrue(ok.contains("\"ok\" : true"), ok);
        daemon.awaitLog("reload succeeded", reloads + 1);
        String maintenance = curl("-X", "POST", URL + "/vrrp/vi_1/maintenance/on");
        assertTrue(maintenance.startsWith("HTTP/1.1 401"), maintenance);
        String allowed = curl("-X", "POST", "-H", "Authorization: Bearer " + TOKEN, URL + "/vrrp/vi_1/maintenance/on");
        assertTrue(allowed.startsWith("HTTP/1.1 404"), "past the token, the order itself is judged (no VRRP here): " + allowed);
    }

    @Test
    @Order(4)
    void withWritesOffAValidTokenIsRefusedWithHowToTurnThemOn() throws Exception {
        daemon.reload(conf, config(false));
        String table = lb.listing();
        String r = curl("-X", "POST", "-H", "Authorization: Bearer " + TOKEN, URL + "/backends/web/" + WEB1 + "/disable");
        assertTrue(r.startsWith("HTTP/1.1 403"), r);
        assertTrue(r.contains("set api.write = on"), r);
        Cli c = backend("disable", "web", WEB1, "--token-file", tokens.toString());
        assertEquals(1, c.exit(), c.out());
        assertTrue(c.err().contains("writes over TCP are off"), c.err());
        assertEquals(table, lb.listing());
        assertEquals(2, metrics().value("vipkeeper_backend_orders_total", "order", "disable", "outcome",
                "refused_writes_off"));
        daemon.reload(conf, config(true));
    }

    @Test
    @Order(5)
    void aTokenFileOthersMayReadIsRefusedAtReloadAndAtStart() throws Exception {
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));
        try {
            int before = daemon.logCount("reload failed");
            daemon.signal("HUP");
            daemon.awaitLog("reload failed", before + 1);
            assertTrue(daemon.err().contains(conf + ":7: vipkeeper.api.token-file: " + tokens + " is mode 0644: a token"
                    + " file must be readable by its owner only (chmod 600 " + tokens + ")"), daemon.err());
            assertTrue(daemon.isAlive());
            Cli c = refusedStart(conf);
            assertTrue(c.err().contains(conf + ":7: vipkeeper.api.token-file: " + tokens + " is mode 0644"), c.err());
        } finally {
            Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    @Order(6)
    void writesOnANonLoopbackListenerWithoutTlsAreRefusedAtStartAtFileAndLine() throws Exception {
        Path plain = dir.resolve("plain.conf");
        Files.writeString(plain, config(true).replaceAll("\n *tls \\{[^}]*}", ""));
        Cli c = refusedStart(plain);
        assertTrue(c.err().contains(plain + ":6: vipkeeper.api.write: on with api.listen " + DIRECTOR + ":9180, not a"
                + " loopback address, needs api.tls { cert, key }"), c.err());
    }

    /**
     * Prints how long an order takes over HTTPS from the client (a new TLS connection each, the
     * token checked, the state written, nftables reconciled), and over the CLI with --url: figures,
     * not checks.
     */
    @Test
    @Order(7)
    void printsHowLongAnOrderTakesOverHttps() throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // ends at weight 2, where it started
            String out = Lab.sh("ip", "netns", "exec", lab.ns("client"), "curl", "-s", "-o", "/dev/null", "-w",
                    "%{http_code} %{time_total}", "--cacert", cert.toString(), "-X", "POST", "-H",
                    "Authorization: Bearer " + TOKEN, URL + "/backends/web/" + WEB2 + "/weight/" + (i % 2 == 0 ? 3 : 2))
                    .strip();
            assertTrue(out.startsWith("200 "), out);
            ms.add(Double.parseDouble(out.substring(4)) * 1000);
        }
        Collections.sort(ms);
        long t0 = System.nanoTime();
        Cli c = backend("weight", "web", WEB2, "2", "--token-file", tokens.toString());
        double cli = (System.nanoTime() - t0) / 1e6;
        assertEquals(0, c.exit(), c.err());
        System.out.printf("backend order over HTTPS with a bearer token (curl, TLS handshake included): median %.1f ms,"
                + " max %.1f ms over %d orders; vipkeeper backend weight --url: %.0f ms wall-clock%n",
                ms.get(ms.size() / 2), ms.get(ms.size() - 1), ms.size(), cli);
        assertEquals(Map.of(WEB1, 1, WEB2, 2), lb.weights());
    }

    /** A second daemon started on {@code file} in the director's namespace, which must refuse to start. */
    private static Cli refusedStart(Path file) throws Exception {
        Cli c = BackendCli.finish(JarProcess.startIn(lab.ns("director"), dir, "run", "-f", file.toString(), "--pid-file",
                dir.resolve("second.pid").toString(), "--state-dir", dir.resolve("second-state").toString()));
        assertNotEquals(0, c.exit(), c.err());
        return c;
    }
}
