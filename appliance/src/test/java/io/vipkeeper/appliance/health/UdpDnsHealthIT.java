package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * udp checks (a real echo backend, a closed port, a port whose datagrams vanish) and dns checks
 * against dnsmasq, all inside a namespace.
 */
class UdpDnsHealthIT {
    private static HealthLab lab;
    private static Process echo;
    @TempDir
    static Path logs;
    @TempDir
    Path dir;

    @BeforeAll
    static void lab() throws Exception {
        lab = HealthLab.create();
        lab.address("198.18.3.1/32");
        lab.address("198.18.3.53/32");
        echo = lab.backend("udp", "198.18.3.1", "5000");
        // Datagrams to 5002 vanish: no reply and no ICMP refusal, keepalived's "silence is up".
        lab.nft(HealthLab.inputRule("vksilent", "ip daddr 198.18.3.1 udp dport 5002 drop"));
        lab.start(logs.resolve("dnsmasq.log"), "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--pid-file", "--user=root", "--log-facility=-",
                "--listen-address=198.18.3.53", "--bind-interfaces", "--port=53",
                "--host-record=health.example.test,198.18.3.99", "--local=/example.test/");
        lab.awaitListening("udp", "198.18.3.53", 53);
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static BackendKey rs(int n) {
        return HealthMonitorTest.key("198.18.3." + n, 80);
    }

    private static String udp(int n, int port, String udp) {
        return "{ address = \"198.18.3." + n + "\", health-check { connect-address = \"198.18.3.1\", connect-port = "
                + port + ", udp { payload = \"ping\"" + (udp.isEmpty() ? "" : ", " + udp) + " } } }";
    }

    @Test
    void udpWithAndWithoutExpect() throws Exception {
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            Map<BackendKey, RealServerHealth> h = m.steadyState("type = udp",
                    udp(101, 5000, "expect = \"pong ping\""),
                    udp(102, 5000, "expect = \"hex:706f6e67\""),
                    udp(103, 5000, "expect = \"nope\""),
                    udp(104, 5000, ""),
                    udp(105, 5001, ""),
                    udp(106, 5002, ""),
                    udp(107, 5002, "expect = \"pong\""),
                    // No payload (the default, keepalived's UDP_CHECK without one): an empty datagram,
                    // refused by a closed port; it sent nothing and stayed up.
                    udp(108, 5001, "").replace("payload = \"ping\"", "payload = \"\""));
            assertEquals("reply matches", h.get(rs(101)).lastResult());
            assertEquals("reply matches", h.get(rs(102)).lastResult());
            assertEquals("reply does not match", h.get(rs(103)).lastResult());
            assertEquals("replied", h.get(rs(104)).lastResult());
            assertEquals("port unreachable", h.get(rs(105)).lastResult());
            assertEquals("no reply, not refused", h.get(rs(106)).lastResult());
            assertEquals("timeout after 150ms without a reply", h.get(rs(107)).lastResult());
            assertEquals("port unreachable", h.get(rs(108)).lastResult());
        }
    }

    @Test
    void udpBackendKilledIsRefused() throws Exception {
        Process backend = lab.backend("udp", "198.18.3.1", "5003");
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            m.apply("health-check { type = udp, interval = 200ms, timeout = 150ms, fall = 2 }\n"
                    + "real-servers = [" + udp(111, 5003, "") + "]");
            m.awaitChecks(rs(111), 2, java.time.Duration.ofSeconds(5));
            HealthLab.kill(backend);
            Recorder.Change down = m.recorder.next(5, rs(111), false);
            assertEquals("port unreachable", down.reason());
            assertEquals(2, down.health().failures());
        }
    }

    private static String dns(int n, String port, String dns) {
        return "{ address = \"198.18.3." + n + "\", health-check { connect-address = \"198.18.3.53\", connect-port = "
                + port + ", dns { " + dns + " } } }";
    }

    @Test
    void dnsAgainstDnsmasq() throws Exception {
        try (LabMonitor m = new LabMonitor(lab, dir)) {
            Map<BackendKey, RealServerHealth> h = m.steadyState("type = dns, dns.name = \"health.example.test\"",
                    dns(121, "53", "name = \"health.example.test\""),
                    dns(122, "53", "name = \"missing.example.test\""),
                    dns(123, "53", "name = \"health.example.test\", type = AAAA"),
                    dns(124, "5353", "name = \"health.example.test\""));
            assertEquals("1 A answer(s)", h.get(rs(121)).lastResult());
            assertEquals("rcode NXDOMAIN", h.get(rs(122)).lastResult());
            assertEquals("no answer", h.get(rs(123)).lastResult());
            assertEquals("port unreachable", h.get(rs(124)).lastResult());
        }
    }

    @Test
    void nioLoopsCheckTheSame() throws Exception {
        try (LabMonitor m = new LabMonitor(lab.group(1, io.netty.channel.nio.NioIoHandler.newFactory()), dir)) {
            Map<BackendKey, RealServerHealth> h = m.steadyState("type = udp, dns.name = \"health.example.test\"",
                    udp(131, 5000, "expect = \"pong ping\""),
                    udp(132, 5001, ""),
                    dns(133, "53", "name = \"health.example.test\"").replace("health-check {", "health-check { type = dns,"),
                    "{ address = \"198.18.3.134\", health-check { type = tcp, connect-address = \"198.18.3.1\", "
                            + "connect-port = 9 } }");
            assertEquals("reply matches", h.get(rs(131)).lastResult());
            assertEquals("port unreachable", h.get(rs(132)).lastResult());
            assertEquals("1 A answer(s)", h.get(rs(133)).lastResult());
            assertEquals("connection refused", h.get(rs(134)).lastResult());
        }
    }
}
