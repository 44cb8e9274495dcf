package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * http and https checks against real servers in a namespace: status lists, Host header, body
 * regex and SHA-256, a server that never answers, and TLS through {@code openssl s_server} with a
 * test CA: SNI, the CA file, a wrong CA, verify = false. Several real servers point at one backend
 * through connect-address.
 */
class HttpHealthIT {
    private static final String BODY = "{\"status\": \"ok\"}";
    private static HealthLab lab;
    @TempDir
    static Path certs;
    @TempDir
    Path dir;

    @BeforeAll
    static void lab() throws Exception {
        lab = HealthLab.create();
        lab.address("198.18.2.1/32");
        lab.address("198.18.2.10/32");
        lab.backend("http", "198.18.2.1", "80", "200", BODY, "www.example.test");
        lab.backend("http", "198.18.2.1", "81", "503", "busy");
        lab.backend("hang", "198.18.2.1", "82");
        TestCa.create(certs, "www.example.test");
        lab.start(certs.resolve("s_server.log"), "openssl", "s_server", "-quiet", "-www",
                "-accept", "198.18.2.10:443", "-cert", certs.resolve("server.pem").toString(),
                "-key", certs.resolve("server.key").toString(),
                // A client naming another server gets a fatal alert: proves the SNI is sent.
                "-servername", "www.example.test", "-servername_fatal",
                "-cert2", certs.resolve("server.pem").toString(), "-key2", certs.resolve("server.key").toString());
        lab.awaitListening("tcp", "198.18.2.10", 443);
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static BackendKey rs(int n) {
        return HealthMonitorTest.key("198.18.2." + n, 80);
    }

    private static String to(int n, String port, String extra) {
        return "{ address = \"198.18.2." + n + "\", health-check { connect-address = \"198.18.2.1\", connect-port = "
                + port + (extra.isEmpty() ? "" : ", " + extra) + " } }";
    }

    @Test
    void statusHostAndBody() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(BODY.getBytes(StandardCharsets.UTF_8)));
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            Map<BackendKey, RealServerHealth> h = m.steadyState("type = http, http.virtual-host = \"www.example.test\"",
                    to(101, "80", "http.body-regex = \"\\\"status\\\":\\\\s*\\\"ok\\\"\""),
                    to(102, "81", ""),
                    to(103, "81", "http.status = [\"500-599\"]"),
                    to(104, "80", "http.body-regex = \"^fine$\""),
                    to(105, "80", "http.body-sha256 = \"" + sha + "\""),
                    to(106, "80", "http.body-sha256 = \"" + sha.replace('a', 'b').replace('0', '1') + "\""),
                    to(107, "80", "http.virtual-host = null"),
                    to(108, "82", ""));
            assertEquals("status 200, body matches", h.get(rs(101)).lastResult());
            assertEquals("status 503", h.get(rs(102)).lastResult());
            assertEquals("status 503", h.get(rs(103)).lastResult());
            assertEquals("body does not match", h.get(rs(104)).lastResult());
            assertEquals("status 200, body matches", h.get(rs(105)).lastResult());
            assertTrue(h.get(rs(106)).lastResult().startsWith("body does not match (sha256 "));
            assertEquals("status 421", h.get(rs(107)).lastResult(), "Host is the address without the header");
            assertEquals("timeout after 150ms", h.get(rs(108)).lastResult());
            for (int n : new int[] {101, 103, 105}) {
                assertTrue(h.get(rs(n)).up(), n + ": " + h.get(rs(n)));
            }
        }
    }

    private static String tls(int n, String extra) {
        return "{ address = \"198.18.2." + n + "\", port = 443, health-check { connect-address = \"198.18.2.10\""
                + (extra.isEmpty() ? "" : ", " + extra) + " } }";
    }

    @Test
    void httpsWithSniAndCaFile() throws Exception {
        String ca = certs.resolve("ca.pem").toString();
        String other = certs.resolve("other-ca.pem").toString();
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            Map<BackendKey, RealServerHealth> h = m.steadyState("type = https, http.virtual-host = \"www.example.test\"",
                    tls(111, "tls.ca-file = \"" + ca + "\""),
                    tls(112, "tls.ca-file = \"" + other + "\""),
                    tls(113, "tls { ca-file = \"" + other + "\", verify = false }"),
                    tls(114, "tls { verify = false, sni = \"other.example.test\" }"),
                    tls(115, "tls.ca-file = \"" + ca + "\", tls.sni = \"198.18.2.10\", http.virtual-host = null"),
                    tls(116, "tls.ca-file = \"" + certs.resolve("missing.pem") + "\""),
                    tls(117, "tls.ca-file = \"" + certs.resolve("server.csr") + "\""));
            BackendKey good = HealthMonitorTest.key("198.18.2.111", 443);
            assertEquals("status 200", h.get(good).lastResult());
            assertTrue(h.get(good).up());
            assertTrue(h.get(HealthMonitorTest.key("198.18.2.112", 443)).lastResult().startsWith("tls handshake failed"),
                    h.toString());
            assertEquals("status 200", h.get(HealthMonitorTest.key("198.18.2.113", 443)).lastResult());
            assertTrue(h.get(HealthMonitorTest.key("198.18.2.114", 443)).lastResult().startsWith("tls"), h.toString());
            // Verified against the address: the certificate names only www.example.test.
            assertTrue(h.get(HealthMonitorTest.key("198.18.2.115", 443)).lastResult().startsWith("tls"), h.toString());
            assertEquals("tls: cannot read ca-file " + certs.resolve("missing.pem"),
                    h.get(HealthMonitorTest.key("198.18.2.116", 443)).lastResult());
            assertTrue(h.get(HealthMonitorTest.key("198.18.2.117", 443)).lastResult()
                    .startsWith("tls: ca-file " + certs.resolve("server.csr") + ": "), h.toString());
        }
    }
}
