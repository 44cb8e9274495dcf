package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.NetUtil;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status API over real sockets in a network namespace of its own (lo only): every route,
 * refusals, HEAD, malformed requests, the metrics text, /healthz both ways. Needs root.
 */
class ApiServerIT {
    static final InetSocketAddress LISTEN = new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString("127.0.0.1"), 9180);

    @TempDir
    static Path dir;
    static ApiNamespace ns;
    static EventLoopGroup group;
    static StatusFixture fixture;
    static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        ns = ApiNamespace.create();
        group = new MultiThreadIoEventLoopGroup(1, ns.threads("api"), EpollIoHandler.newFactory());
        fixture = new StatusFixture(dir);
        server = new ApiServer(group, fixture, fixture.wall, fixture.vrrpClock::nanoTime);
        server.start(LISTEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    /** A response as read off the wire. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Sends {@code raw} bytes from inside the namespace and reads until the server closes. */
    static Response raw(String raw) throws Exception {
        return ns.in(() -> {
            try (Socket s = new Socket()) {
                s.connect(LISTEN, 5000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
    }

    static Response request(String method, String path, String... headers) throws Exception {
        StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        return raw(r.append("\r\n").toString());
    }

    private static Response parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end > 0, "no header end in: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }

    @Test
    void statusIsJson() throws Exception {
        Response r = request("GET", "/status");
        assertEquals(200, r.status());
        assertEquals("application/json; charset=utf-8", r.header("content-type"));
        StatusSnapshot s = StatusJson.read(r.body());
        assertEquals("lb1", s.node());
        assertEquals("MASTER", s.vrrpInstances().get(0).state());
        assertEquals(Integer.toString(r.body().getBytes(StandardCharsets.UTF_8).length), r.header("content-length"));
    }

    /** What {@code vipkeeper status} prints, rendered by the daemon: the same table the command makes of the JSON. */
    @Test
    void statusAsTextIsTheTableOfTheJson() throws Exception {
        Response text = request("GET", "/status", "Accept: text/plain");
        Response json = request("GET", "/status");
        assertEquals(200, text.status());
        assertEquals("text/plain; charset=utf-8", text.header("content-type"));
        assertEquals(StatusTable.format(StatusJson.read(json.body())), text.body());
        assertTrue(text.body().contains("INSTANCE"), text.body());
    }

    @Test
    void headIsGetWithoutBody() throws Exception {
        Response get = request("GET", "/metrics");
        Response head = request("HEAD", "/metrics");
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(get.header("content-type"), head.header("content-type"));
        assertTrue(Integer.parseInt(head.header("content-length")) > 1000);
    }

    @Test
    void metricsParseByTheExpositionRules() throws Exception {
        Response r = request("GET", "/metrics?name[]=ignored");
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("text/plain; version=0.0.4"), r.header("content-type"));
        PrometheusText p = PrometheusText.parse(r.body());
        for (String name : List.of("vipkeeper_vrrp_state", "vipkeeper_vrrp_priority", "vipkeeper_vrrp_transitions_total",
                "vipkeeper_vrrp_dropped_packets_total", "vipkeeper_vrrp_adverts_sent_total",
                "vipkeeper_vrrp_adverts_received_total", "vipkeeper_real_server_up", "vipkeeper_real_server_weight",
                "vipkeeper_ipvs_connections_total", "vipkeeper_ipvs_packets_total", "vipkeeper_ipvs_bytes_total",
                "vipkeeper_ipvs_active_connections", "vipkeeper_ipvs_service_connections_total",
                "vipkeeper_ipvs_reconcile_runs_total", "vipkeeper_ipvs_reconcile_changes_total",
                "vipkeeper_ipvs_reconcile_repairs_total", "vipkeeper_ipvs_reconcile_failures_total",
                "vipkeeper_config_reloads_total", "vipkeeper_config_last_reload_success",
                "vipkeeper_api_bad_requests_total", "vipkeeper_build_info")) {
            assertTrue(p.has(name), name + " missing in\n" + r.body());
        }
        assertEquals(1, p.value("vipkeeper_vrrp_state", "vrrp_instance", "mail", "state", "FAULT"));

        Response om = request("GET", "/metrics", "Accept: application/openmetrics-text; version=1.0.0");
        assertTrue(om.header("content-type").startsWith("application/openmetrics-text"), om.header("content-type"));
        assertTrue(om.body().endsWith("# EOF\n"));
    }

    @Test
    void healthzFollowsFaults() throws Exception {
        Response sick = request("GET", "/healthz");
        assertEquals(503, sick.status());
        assertEquals("vrrp instance mail is in FAULT (track-interface eth9: eth9 is down)\n", sick.body());
        synchronized (fixture) {
            fixture.routers.get("mail").setFault("track-interface eth9", null);
            try {
                Response ok = request("GET", "/healthz");
                assertEquals(200, ok.status());
                assertEquals("ok\n", ok.body());
                assertEquals("text/plain; charset=utf-8", ok.header("content-type"));
            } finally {
                fixture.routers.get("mail").setFault("track-interface eth9", "eth9 is down");
            }
        }
    }

    @Test
    void refusalsAreCountedAndHarmless() throws Exception {
        long before = server.metrics().badRequests();
        assertEquals(404, request("GET", "/nothing").status());
        Response post = request("POST", "/status", "Content-Length: 0");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("allow"));
        assertEquals(405, request("DELETE", "/").status());
        Response garbage = raw("\u0001\u0002 not http at all\r\n\r\n");
        assertEquals(400, garbage.status());
        assertEquals("close", garbage.header("connection"));
        assertEquals(400, raw("GET /status HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n").status());
        assertEquals(413, raw("GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n").status());
        assertEquals(before + 6, server.metrics().badRequests());
        // The server still answers, and /metrics says the same.
        PrometheusText p = PrometheusText.parse(request("GET", "/metrics").body());
        assertEquals(before + 6, p.value("vipkeeper_api_bad_requests_total"));
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        String one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        String text = ns.in(() -> {
            try (Socket s = new Socket()) {
                s.connect(LISTEN, 5000);
                s.setSoTimeout(5000);
                s.getOutputStream().write((one + one + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        assertEquals(3, text.split("HTTP/1.1 503", -1).length - 1, text);
    }

    @Test
    void pageIsHtmlWithStates() throws Exception {
        Response r = request("GET", "/");
        assertEquals(200, r.status());
        assertEquals("text/html; charset=utf-8", r.header("content-type"));
        assertTrue(r.body().contains("data-state=\"MASTER\""), r.body());
        assertTrue(r.header("content-security-policy").startsWith("default-src 'none'"));
    }

    @Test
    void bindFailureSaysWhereAndWhy() {
        ApiServer second = new ApiServer(group, fixture);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.start(LISTEN));
        assertTrue(e.getMessage().startsWith("status API: cannot listen on 127.0.0.1:9180: "), e.getMessage());
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> server.start(LISTEN));
        assertEquals("status API: already listening on 127.0.0.1:9180", again.getMessage());
        assertEquals(LISTEN, server.localAddress());
    }

    /** Runs {@code cmd} inside the namespace; returns exit code, stdout and stderr. */
    static String[] exec(Path out, String... cmd) throws Exception {
        Path stdout = Files.createTempFile(dir, "out", ".txt");
        Path stderr = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(ns.exec(cmd)).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish: " + Files.readString(stderr));
        }
        return new String[] {Integer.toString(p.exitValue()), Files.readString(stdout), Files.readString(stderr)};
    }

    private static String[] chromium(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
        cmd.addAll(List.of(args));
        cmd.add("http://127.0.0.1:9180/");
        return exec(dir, cmd.toArray(String[]::new));
    }

    @Test
    void pageInChromium() throws Exception {
        String[] dom = chromium("--dump-dom");
        assertEquals("0", dom[0], dom[2]);
        String html = dom[1];
        assertTrue(html.contains("<h1 id=\"node\">lb1</h1>"), html);
        String green = "style=\"background:" + StatusPage.GREEN + "\"";
        String red = "style=\"background:" + StatusPage.RED + "\"";
        String grey = "style=\"background:" + StatusPage.GREY + "\"";
        assertTrue(html.contains("data-state=\"MASTER\" " + green + ">MASTER<"), html);
        assertTrue(html.contains("data-state=\"BACKUP\" " + grey + ">BACKUP<"), html);
        assertTrue(html.contains("data-state=\"FAULT\" " + red + ">FAULT<"), html);
        assertTrue(html.contains("data-health=\"up\" " + green + ">up<"), html);
        assertTrue(html.contains("data-health=\"down\" " + red + ">down<"), html);
        assertTrue(html.contains("data-health=\"unchecked\" " + grey + ">unchecked<"), html);
        assertTrue(html.contains("data-kernel=\"missing\" " + red + ">not in the kernel<"), html);
        assertTrue(html.contains("<tr class=\"fault\"><td></td><td colspan=\"8\" class=\"wrap\">fault: track-interface eth9: eth9 is down</td></tr>"), html);

        Path png = Path.of("target", "api", "status-page.png").toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        String[] shot = chromium("--screenshot=" + png, "--window-size=1280,720");
        assertEquals("0", shot[0], shot[2]);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000, "a screenshot with content: " + bytes.length + " bytes");
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
    }

    private static String[] cli(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.vipkeeper.appliance.cli.Main"));
        cmd.addAll(List.of(args));
        return exec(dir, cmd.toArray(String[]::new));
    }

    @Test
    void statusCommandAgainstTheServer() throws Exception {
        String conf = fixture.settings.source().toString();
        String[] table = cli("status", "-f", conf);
        assertEquals("0", table[0], table[2]);
        String out = table[1];
        assertTrue(out.startsWith("lb1: vipkeeper "), out);
        assertTrue(out.matches("(?s).*\nweb +MASTER +eth0 +51 +150 +198\\.18\\.0\\.1 +1000ms +2 +BACKUP -> MASTER \\(master_down\\).*"), out);
        assertTrue(out.matches("(?s).*\nmail +FAULT .*\n  fault  track-interface eth9: eth9 is down\n.*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.1:8080 +up +enabled +1 +config +weight 1 +7 +3 +120\n.*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.3:8080 +unchecked +enabled +3 +config +NO +- +- +-\n.*"), out);
        assertTrue(out.matches("(?s).*\ndns udp 198\\.18\\.0\\.100:53 wlc nat +NO +-\n  -> 198\\.18\\.1\\.1:53 +unchecked .*"), out);
        assertEquals("", table[2]);

        String[] json = cli("status", "--json", "--url", "http://127.0.0.1:9180");
        assertEquals("0", json[0], json[2]);
        assertEquals("lb1", StatusJson.read(json[1]).node());

        String[] down = cli("status", "--url", "http://127.0.0.1:9181/");
        assertEquals("1", down[0]);
        assertEquals("", down[1]);
        assertTrue(down[2].startsWith("vipkeeper status: cannot reach the daemon at http://127.0.0.1:9181/status: "), down[2]);
        assertTrue(down[2].endsWith(" (is vipkeeper running?)\n"), down[2]);
    }
}
