package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.HealthCheck.DnsType;
import io.vipkeeper.appliance.config.HealthCheck.HealthCheckType;
import io.vipkeeper.appliance.config.HealthCheck.InitialState;
import io.vipkeeper.appliance.config.HealthCheck.StatusRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health-check block: per-type settings, real-server overrides of sub-blocks, what is kept. */
class HealthCheckConfigTest {
    @TempDir
    Path dir;

    private VirtualServer load(String... lines) throws Exception {
        Settings s = ConfigLoader.load(ConfigFiles.write(dir, "h.conf", String.join("\n", lines) + "\n"));
        return s.ipvs().virtualServers().get("web");
    }

    @Test
    void httpsWithOverridesMergedKeyByKey() throws Exception {
        VirtualServer v = load(
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 443",
                "  health-check { type = https, initial-state = down,",
                "    http { path = \"/healthz\", virtual-host = \"www.example.test\", status = [204, \"300-302\"] }",
                "    tls { verify = false } }",
                "  real-servers = [{ address = \"198.18.0.13\" },",
                "    { address = \"198.18.0.14\", health-check { connect-port = 8443, http.path = \"/ping\" } }] }");
        HealthCheck vs = v.healthCheck();
        assertEquals(HealthCheckType.HTTPS, vs.type());
        assertEquals(InitialState.DOWN, vs.initialState());
        assertEquals(List.of(new StatusRange(204, 204), new StatusRange(300, 302)), vs.http().orElseThrow().status());
        assertTrue(vs.http().orElseThrow().accepts(301));
        assertFalse(vs.http().orElseThrow().accepts(200));
        assertFalse(vs.tls().orElseThrow().verify());
        assertTrue(vs.udp().isEmpty() && vs.dns().isEmpty() && vs.script().isEmpty());
        assertEquals(vs, v.realServers().get(0).healthCheck());
        HealthCheck rs = v.realServers().get(1).healthCheck();
        assertEquals("/ping", rs.http().orElseThrow().path());
        assertEquals(Optional.of("www.example.test"), rs.http().orElseThrow().virtualHost());
        assertEquals(8443, rs.connectPort().getAsInt());
        assertEquals(InitialState.DOWN, rs.initialState());
    }

    @Test
    void settingsOfOtherTypesAreNotKept() throws Exception {
        VirtualServer v = load(
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80",
                "  health-check { type = tcp, http.path = \"/x\" }",
                "  real-servers = [{ address = \"198.18.0.13\" }] }");
        HealthCheck hc = v.healthCheck();
        assertTrue(hc.http().isEmpty());
        assertTrue(hc.connectAddress().isEmpty() && hc.connectPort().isEmpty());
        assertEquals(InitialState.UP, hc.initialState());
    }

    @Test
    void udpPayloadsAsTextOrHex() throws Exception {
        VirtualServer v = load(
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 53, protocol = udp",
                "  health-check { type = udp, udp { payload = \"hex:01 02:ff\", expect = \"pong\" } }",
                "  real-servers = [{ address = \"198.18.0.13\", health-check.udp.expect = null }] }");
        HealthCheck.Udp udp = v.healthCheck().udp().orElseThrow();
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, udp.payload().toArray());
        assertArrayEquals("pong".getBytes(StandardCharsets.UTF_8), udp.expect().orElseThrow().toArray());
        assertTrue(v.realServers().get(0).healthCheck().udp().orElseThrow().expect().isEmpty());
    }

    @Test
    void dnsAndScript() throws Exception {
        VirtualServer v = load(
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 53, protocol = udp",
                "  health-check { type = dns, dns { name = \"health.example.test\", type = AAAA } }",
                "  real-servers = [{ address = \"198.18.0.13\",",
                "    health-check { type = script, script.command = [\"/bin/true\", \"x\"] } }] }");
        assertEquals(new HealthCheck.Dns("health.example.test", DnsType.AAAA), v.healthCheck().dns().orElseThrow());
        HealthCheck rs = v.realServers().get(0).healthCheck();
        assertEquals(List.of("/bin/true", "x"), rs.script().orElseThrow().command());
        assertTrue(rs.dns().isEmpty());
    }

    @Test
    void aWrongVirtualServerCheckIsSaidOnceNotAgainForEveryRealServer() throws Exception {
        for (String check : List.of("health-check = 5", "health-check { type = tcp, interval = bad }")) {
            InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                    () -> load("vipkeeper.ipvs.virtual-servers.web {", "  address = \"198.18.0.100\"", "  port = 80",
                            "  " + check, "  real-servers = [{ address = \"198.18.0.13\" }, { address = \"198.18.0.14\" }]",
                            "}"));
            assertEquals(1, e.problems().size(), check + ": " + e.problems());
            assertTrue(e.problems().get(0).format().contains("h.conf:4: vipkeeper.ipvs.virtual-servers.web.health-check"),
                    e.problems().toString());
        }
    }
}
