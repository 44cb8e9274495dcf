package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.PrometheusText;
import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import io.vipkeeper.appliance.it.BackendCli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runtime backend control for real: the daemon jar on the nftables data plane in a director's
 * namespace, two busybox web servers and a client; {@code vipkeeper backend ...} run as separate
 * processes against the daemon's control socket. {@code nft} is the oracle for what the kernel
 * holds, the client's requests the proof that traffic follows. The steps share one daemon (and
 * restart it once), so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendControlIT {
    private static final String SUBNET = "198.18.236";
    private static final int DIRECTOR = 1;
    private static final String VIP = SUBNET + ".100";
    private static final String WEB1 = SUBNET + ".11:80";
    private static final String WEB2 = SUBNET + ".12:80";
    private static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static Path pidFile;
    private static Path stateFile;
    private static JarProcess daemon;
    private static LabApi api;
    private static NftLbTable lb;
    private static final Map<String, AutoCloseable> servers = new TreeMap<>();

    private static String config(boolean withWeb1) {
        return NatDirector.config("nftables", "api.listen = \"" + SUBNET + "." + DIRECTOR + ":9180\"", "",
                NatDirector.web(VIP, "rr", "health-check.type = none", (withWeb1 ? "{ address = \"" + SUBNET + ".11\" }, " : "")
                        + "{ address = \"" + SUBNET + ".12\", weight = 2 }"));
    }

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create(SUBNET);
        lb = new NftLbTable(lab, "director");
        try {
            dir = Files.createTempDirectory("vk-backend");
            // nobody must reach the control socket in here, as it reaches /run/vipkeeper.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            NatDirector.create(lab, DIRECTOR, VIP);
            for (int i = 1; i <= 2; i++) {
                String name = "web" + i;
                lab.node(name, 10 + i);
                Path root = Files.createDirectories(dir.resolve(name));
                Files.writeString(root.resolve("index.html"), name + "\n");
                servers.put(name, NatDirector.httpd(lab, name, root));
                NatDirector.routeBack(lab, name, SUBNET, DIRECTOR);
            }
            api = new LabApi(lab);
            conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, config(true));
            pidFile = dir.resolve("vipkeeper.pid");
            stateFile = dir.resolve("state").resolve("runtime-state.json");
            daemon = start();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        NatDirector.tearDown(servers, daemon, lab);
    }

    private static JarProcess start() throws Exception {
        return BackendCli.daemon(lab, dir, conf, pidFile, List.of());
    }

    private static Cli backend(List<String> wrapper, String... args) throws Exception {
        return BackendCli.backend(lab, dir, pidFile, wrapper, args);
    }

    private static Cli backend(String... args) throws Exception {
        return backend(List.of(), args);
    }

    @Test
    @Order(1)
    void drainKeepsTheBackendAtWeightZeroAndTrafficGoesElsewhere() throws Exception {
        await("both backends in the kernel", () -> lb.weights().equals(Map.of(WEB1, 1, WEB2, 2)));
        assertEquals(java.util.Set.of("web1", "web2"), spread(6).keySet());

        Cli c = backend("drain", "web", WEB2);
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("web " + WEB2 + ": enabled -> drained, weight 0 while drained (config weight 2)"), c.out());
        assertTrue(c.out().contains("node director only: runtime state is per node"), c.out());
        assertEquals(Map.of(WEB1, 1, WEB2, 0), lb.weights(), "the order returns once the kernel has it");
        assertEquals(Map.of("web1", 4), spread(4));
        daemon.awaitLog("backend web " + WEB2 + ": drain by uid 0 (root): enabled -> drained (runtime state of this node)");

        StatusSnapshot.RealServerStatus rs = realServer(WEB2);
        assertEquals("drained", rs.admin());
        assertEquals("config", rs.weightOrigin());
        // Status shows the kernel's table as the last run read it: at most one reconcile interval old.
        await("status shows web2 at weight 0 in the kernel", () -> Integer.valueOf(0).equals(kernelWeight(WEB2)));
        PrometheusText m = api.metrics("director", DIRECTOR);
        assertEquals(1, m.value("vipkeeper_real_server_admin_state", "vs", "web", "rs", WEB2, "state", "drained"));
        assertEquals(0, m.value("vipkeeper_real_server_admin_state", "vs", "web", "rs", WEB2, "state", "enabled"));
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "drain", "outcome", "changed"));

        c = backend("drain", "web", SUBNET + ".12");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("web " + WEB2 + ": already drained"), c.out());
    }

    @Test
    @Order(2)
    void disableTakesTheBackendOutAndEnableBringsItBack() throws Exception {
        Cli c = backend("enable", "web", WEB2);
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("web " + WEB2 + ": drained -> enabled, weight 2 (config)"), c.out());
        c = backend("disable", "web", WEB1);
        assertEquals(0, c.exit(), c.err());
        assertEquals(Map.of(WEB2, 2), lb.weights(), "disabled: out of the table");
        assertEquals(Map.of("web2", 4), spread(4));
        assertEquals("disabled", realServer(WEB1).admin());
        await("status shows web1 out of the kernel", () -> kernelWeight(WEB1) == null);
    }

    @Test
    @Order(3)
    void aRuntimeWeightReplacesTheConfigsAndListShowsItsOrigin() throws Exception {
        Cli c = backend("weight", "web", WEB2, "5");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("web " + WEB2 + ": enabled, weight 5 (runtime)"), c.out());
        assertEquals(Map.of(WEB2, 5), lb.weights());
        StatusSnapshot.RealServerStatus rs = realServer(WEB2);
        assertEquals("runtime", rs.weightOrigin());
        assertEquals(5, rs.runtimeWeight());
        assertEquals(1, api.metrics("director", DIRECTOR).value("vipkeeper_real_server_runtime_weight", "vs", "web",
                "rs", WEB2));

        await("status shows web2 at weight 5 in the kernel", () -> Integer.valueOf(5).equals(kernelWeight(WEB2)));
        c = backend("list");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().matches("(?s).*\n  -> " + Pattern.quote(WEB1) + " +up +disabled +1 +config +NO .*"), c.out());
        assertTrue(c.out().matches("(?s).*\n  -> " + Pattern.quote(WEB2) + " +up +enabled +5 +runtime +weight 5 .*"),
                c.out());
        assertTrue(c.out().contains("node director: runtime state is per node"), c.out());
        try (JarProcess p = JarProcess.startIn(lab.ns("director"), dir, "status", "--pid-file", pidFile.toString())) {
            assertEquals(0, p.waitFor(), p.err());
            assertTrue(p.out().matches("(?s).*\n  -> " + Pattern.quote(WEB2) + " +up +enabled +5 +runtime +weight 5 .*"),
                    p.out());
            assertTrue(p.out().contains("\nADMIN, runtime weights and runtime backends are this node's only"), p.out());
        }
    }

    @Test
    @Order(4)
    void nobodyMayReadButNotWrite() throws Exception {
        String table = lb.listing();
        String state = Files.readString(stateFile);
        Cli c = backend(NOBODY, "enable", "web", WEB1);
        assertEquals(1, c.exit(), c.out() + c.err());
        assertTrue(c.err().contains("vipkeeper backend enable: uid 65534 (nobody) may not change runtime state: only root"
                + " may (api.control-group is not set)"), c.err());
        daemon.awaitLog("backend enable refused for uid 65534 (nobody)");
        c = backend(NOBODY, "list", "web");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains(WEB2), c.out());
        assertEquals(table, lb.listing(), "a refused order changes nothing");
        assertEquals(state, Files.readString(stateFile));
        assertEquals(1, api.metrics("director", DIRECTOR).value("vipkeeper_backend_orders_total", "order", "enable",
                "outcome", "refused_forbidden"));
    }

    @Test
    @Order(5)
    void badRequestsAreRefusedCountedAndChangeNothing() throws Exception {
        String table = lb.listing();
        String state = Files.readString(stateFile);
        Cli c = backend("disable", "api", WEB2);
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("no virtual server api in the config (it has web)"), c.err());
        c = backend("disable", "web", SUBNET + ".13:80");
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("virtual server web has no backend " + SUBNET + ".13:80 in the config"), c.err());
        c = backend("weight", "web", WEB2, "65536");
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("weight \"65536\" is not an integer in 0..65535"), c.err());
        c = backend("weight", "web", WEB2, "-1");
        assertEquals(1, c.exit());
        Path socket = pidFile.resolveSibling("control.sock");
        assertEquals("400", curl("--unix-socket", socket.toString(), "-X", "POST", "http://director/backends/web/"
                + WEB2 + "/explode"));
        assertEquals("400", curl("--unix-socket", socket.toString(), "-X", "DELETE", "http://director/backends/web/" + WEB2
                + "/drain"));
        assertEquals("403", curl("-X", "POST", "http://" + SUBNET + "." + DIRECTOR + ":9180/backends/web/" + WEB2
                + "/disable"), "api.write is off by default: the TCP API is read-only");
        assertEquals(table, lb.listing(), "a refused order changes nothing");
        assertEquals(state, Files.readString(stateFile));
        PrometheusText m = api.metrics("director", DIRECTOR);
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "disable", "outcome", "refused_unknown_virtual_server"));
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "disable", "outcome", "refused_unknown_backend"));
        assertEquals(4, m.value("vipkeeper_backend_orders_total", "order", "invalid", "outcome", "refused_bad_request"));
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "disable", "outcome", "refused_writes_off"));
        assertTrue(daemon.isAlive());
    }

    @Test
    @Order(6)
    void theStateSurvivesARestart() throws Exception {
        String table = lb.listing();
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor(), daemon.err());
        daemon = start();
        assertTrue(daemon.err().contains("runtime state from " + stateFile + ": web " + WEB1 + " disabled; web " + WEB2
                + " enabled, weight 5 (runtime)"), daemon.err());
        assertTrue(daemon.err().contains("after 0 change(s) at start"), daemon.err());
        assertEquals(table, lb.listing());
        assertEquals("disabled", realServer(WEB1).admin());
        assertEquals(5, realServer(WEB2).runtimeWeight());
    }

    @Test
    @Order(7)
    void aReloadKeepsTheStateAndDropsThatOfARemovedBackend() throws Exception {
        daemon.reload(conf, config(true));
        assertEquals(Map.of(WEB2, 5), lb.weights(), "a reload keeps the runtime state");
        daemon.reload(conf, config(false));
        daemon.awaitLog("runtime state dropped: web " + WEB1 + " (disabled): the backend is no longer in the config");
        assertFalse(Files.readString(stateFile).contains(SUBNET + ".11"), Files.readString(stateFile));
        daemon.reload(conf, config(true));
        await("web1 back at its config weight", () -> lb.weights().equals(Map.of(WEB1, 1, WEB2, 5)));
        assertEquals("enabled", realServer(WEB1).admin());
    }

    /**
     * Prints how long an order takes over the control socket, from curl's request to its answer
     * (the daemon writes the state file, reconciles the kernel and answers): a figure, not a check.
     */
    @Test
    @Order(8)
    void printsHowLongAnOrderTakes() throws Exception {
        Path socket = pidFile.resolveSibling("control.sock");
        List<Double> ms = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) { // ends at weight 5, where it started
            String out = Lab.sh("ip", "netns", "exec", lab.ns("director"), "curl", "-s", "-o", "/dev/null", "-w",
                    "%{http_code} %{time_total}", "--unix-socket", socket.toString(), "-X", "POST",
                    "http://director/backends/web/" + WEB2 + "/weight/" + (i % 2 == 0 ? 6 : 5)).strip();
            assertTrue(out.startsWith("200 "), out);
            ms.add(Double.parseDouble(out.substring(4)) * 1000);
        }
        java.util.Collections.sort(ms);
        System.out.printf("backend order over the control socket (state write + nftables reconcile): median %.1f ms,"
                + " max %.1f ms over %d orders%n", ms.get(ms.size() / 2), ms.get(ms.size() - 1), ms.size());
        assertEquals(Map.of(WEB1, 1, WEB2, 5), lb.weights());
    }

    /** The HTTP status curl gets in the director's namespace. */
    private static String curl(String... args) throws Exception {
        String[] cmd = new String[args.length + 10];
        System.arraycopy(new String[] {"ip", "netns", "exec", lab.ns("director"), "curl", "-s", "-o", "/dev/null", "-w",
            "%{http_code}"}, 0, cmd, 0, 10);
        System.arraycopy(args, 0, cmd, 10, args.length);
        return Lab.sh(cmd).strip();
    }

    private static StatusSnapshot.RealServerStatus realServer(String address) {
        return BackendCli.realServer(api, DIRECTOR, address);
    }

    private static Integer kernelWeight(String address) {
        return realServer(address).kernelWeight();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        NatDirector.await(lb, daemon, what, condition);
    }

    private static Map<String, Integer> spread(int requests) throws Exception {
        return BackendCli.spread(lab, VIP, requests);
    }
}
