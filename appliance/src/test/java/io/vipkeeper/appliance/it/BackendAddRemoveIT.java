package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.PrometheusText;
import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Runtime backends for real ({@code vipkeeper backend add|remove}): the daemon jar on the nftables
 * data plane in a director's namespace, busybox web servers and a client. {@code nft} is the oracle
 * for the kernel's table, the client's requests the proof that an added backend serves. The steps
 * share one daemon (restarted, and killed with SIGKILL in the crash window), so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendAddRemoveIT {
    private static final String SUBNET = "198.18.247";
    private static final int DIRECTOR = 1;
    private static final String VIP = SUBNET + ".100";
    private static final String WEB1 = SUBNET + ".11:80";
    private static final String WEB2 = SUBNET + ".12:80";
    private static final String WEB3 = SUBNET + ".13:80";
    /** The test-only hook of pool.TestHook: stall right after the state write, before the kernel. */
    private static final String STALL = "-Dvipkeeper.test.stall-after-state-write=true";
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static Path pidFile;
    private static Path stateFile;
    private static JarProcess daemon;
    private static LabApi api;
    private static NftLbTable lb;
    private static final Map<String, AutoCloseable> servers = new TreeMap<>();

    /** web with web1 (and web2 when {@code web2InFile}); api on .101 when {@code withApi}. */
    private static String config(boolean web2InFile, boolean withApi) {
        return config(web2InFile, withApi, "");
    }

    /** The same with the virtual servers {@code more} (HOCON). */
    private static String config(boolean web2InFile, boolean withApi, String more) {
        String check = "health-check { type = tcp, interval = 300ms, timeout = 200ms, rise = 1, fall = 1 }";
        return NatDirector.config("nftables", "api.listen = \"" + SUBNET + "." + DIRECTOR + ":9180\"", "drain-timeout = 20s",
                NatDirector.web(VIP, "rr", check, "{ address = \"" + SUBNET + ".11\" }" + (web2InFile ? ", { address = \""
                        + SUBNET + ".12\", weight = 7 }" : "")),
                withApi ? "api { address = \"" + SUBNET + ".101\", port = 80, " + check + ", real-servers = [{ address = \""
                        + SUBNET + ".11\" }] }" : "", more);
    }

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create(SUBNET);
        lb = new NftLbTable(lab, "director");
        try {
            dir = Files.createTempDirectory("vk-addrm");
            String director = NatDirector.create(lab, DIRECTOR, VIP);
            Lab.sh("ip", "-n", director, "addr", "add", SUBNET + ".101/32", "dev", "eth0");
            for (int i = 1; i <= 3; i++) {
                String name = "web" + i;
                lab.node(name, 10 + i);
                Files.createDirectories(dir.resolve(name));
                Files.writeString(dir.resolve(name).resolve("index.html"), name + "\n");
                serve(name);
                NatDirector.routeBack(lab, name, SUBNET, DIRECTOR);
            }
            api = new LabApi(lab);
            conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, config(false, true));
            pidFile = dir.resolve("vipkeeper.pid");
            stateFile = dir.resolve("state").resolve("runtime-state.json");
            daemon = start(List.of());
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        NatDirector.tearDown(servers, daemon, lab);
    }

    private static void serve(String name) throws Exception {
        servers.put(name, NatDirector.httpd(lab, name, dir.resolve(name)));
    }

    private static void stop(String name) throws Exception {
        servers.remove(name).close();
    }

    private static JarProcess start(List<String> jvm) throws Exception {
        return BackendCli.daemon(lab, dir, conf, pidFile, jvm);
    }

    private static String[] args(String... args) {
        return BackendCli.args(pidFile, args);
    }

    private static Cli backend(String... args) throws Exception {
        return BackendCli.backend(lab, dir, pidFile, List.of(), args);
    }

    @Test
    @Order(1)
    void anAddedBackendServesClientTrafficAndShowsAsRuntime() throws Exception {
        await("web1 in the kernel", () -> lb.weights().equals(Map.of(WEB1, 1)));
        assertEquals(Map.of("web1", 4), spread(4));

        Cli c = backend("add", "web", SUBNET + ".12", "--weight", "3");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("web " + WEB2 + ": added, a runtime backend at weight 3"), c.out());
        assertTrue(c.out().contains("node director only: runtime state is per node"), c.out());
        daemon.awaitLog("backend web " + WEB2 + ": add by uid 0 (root): a runtime backend at weight 3, checked with the"
                + " service's tcp check");
        assertEquals(Map.of(WEB1, 1, WEB2, 3), lb.weights(), "the order returns once the kernel has it");
        assertEquals(Map.of("web1", 3, "web2", 3), spread(6), "round robin over both");
        assertTrue(Files.readString(stateFile).contains("\"origin\" : \"runtime\""), Files.readString(stateFile));

        StatusSnapshot.RealServerStatus rs = realServer(WEB2);
        assertEquals("runtime", rs.origin());
        assertEquals(3, rs.configuredWeight());
        assertEquals("config", realServer(WEB1).origin());
        await("web2 checked up", () -> "up".equals(health(WEB2)));
        PrometheusText m = api.metrics("director", DIRECTOR);
        assertEquals(1, m.value("vipkeeper_real_server_runtime_backend", "vs", "web", "rs", WEB2));
        assertEquals(0, m.value("vipkeeper_real_server_runtime_backend", "vs", "web", "rs", WEB1));
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "add", "outcome", "changed"));
        c = backend("list", "web");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().matches("(?s).*\n  -> " + Pattern.quote(WEB2) + " \\(runtime backend\\) +up +enabled +3 .*"),
                c.out());
        try (JarProcess p = JarProcess.startIn(lab.ns("director"), dir, "status", "--json", "--pid-file",
                pidFile.toString())) {
            assertEquals(0, p.waitFor(), p.err());
            assertTrue(p.out().matches("(?s).*\"address\" : \"" + Pattern.quote(WEB2) + "\".*\"origin\" : \"runtime\".*"),
                    p.out());
        }
    }

    @Test
    @Order(2)
    void itIsHealthCheckedWithTheServicesCheck() throws Exception {
        stop("web2");
        await("web2 out of the table while its server is down", () -> lb.weights().equals(Map.of(WEB1, 1)));
        assertEquals("down", health(WEB2));
        assertEquals(Map.of("web1", 3), spread(3));
        serve("web2");
        await("web2 back once its server answers", () -> lb.weights().equals(Map.of(WEB1, 1, WEB2, 3)));
        assertEquals(Map.of("web1", 2, "web2", 2), spread(4));
    }

    @Test
    @Order(3)
    void everyRefusalIsAnErrorCountedAndChangesNothing() throws Exception {
        String table = lb.listing();
        String state = Files.readString(stateFile);
        assertRefused(backend("add", "nosuch", WEB3), "no virtual server nosuch in the config");
        assertRefused(backend("add", "web", WEB1), "web has " + WEB1 + " already (in the config)");
        assertRefused(backend("add", "web", WEB2), "web has " + WEB2 + " already (added at runtime)");
        assertRefused(backend("add", "web", "198.18.247"), "is not a backend address");
        assertRefused(backend("add", "web", WEB3, "--weight", "65536"), "weight \"65536\" is not an integer in 0..65535");
        assertRefused(backend("add", "web", WEB3, "--weight", "-1"), "is not an integer in 0..65535");
        assertRefused(backend("add", "web", "[2001:db8::13]:80"), "is IPv6 but virtual server web is IPv4");
        assertRefused(backend("remove", "web", WEB1), "is in the config: edit the file");
        assertRefused(backend("remove", "web", WEB3), "has no backend " + WEB3);
        assertEquals(table, lb.listing(), "a refused order changes nothing");
        assertEquals(state, Files.readString(stateFile));
        PrometheusText m = api.metrics("director", DIRECTOR);
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "add", "outcome", "refused_unknown_virtual_server"));
        assertEquals(2, m.value("vipkeeper_backend_orders_total", "order", "add", "outcome", "refused_duplicate"));
        assertEquals(2, m.value("vipkeeper_backend_orders_total", "order", "add", "outcome", "refused_bad_request"));
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "remove", "outcome", "refused_config_backend"));
        assertEquals(1, m.value("vipkeeper_backend_orders_total", "order", "remove", "outcome", "refused_unknown_backend"));
        assertTrue(daemon.isAlive());
    }

    private static void assertRefused(Cli c, String says) {
        assertNotEquals(0, c.exit(), c.out() + c.err());
        assertTrue(c.err().contains(says), c.err());
    }

    @Test
    @Order(4)
    void runtimeBackendsSurviveARestartAndAReload() throws Exception {
        assertEquals(0, backend("add", "api", WEB3).exit());
        String table = lb.listing();
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor(), daemon.err());
        daemon = start(List.of());
        assertTrue(daemon.err().contains("runtime backends from " + stateFile + ": web " + WEB2 + " weight 3; api " + WEB3
                + " weight 1"), daemon.err());
        assertTrue(daemon.err().contains("after 0 change(s) at start"), daemon.err());
        assertEquals(table, lb.listing());
        assertEquals("runtime", realServer(WEB2).origin());

        daemon.reload(conf, config(false, true));
        assertEquals(table, lb.listing(), "a reload keeps them");
        daemon.reload(conf, config(false, false));
        daemon.awaitLog("runtime state dropped: runtime backend api " + WEB3 + " (added at weight 1): the virtual server is"
                + " no longer in the config");
        assertFalse(Files.readString(stateFile).contains(SUBNET + ".13"), Files.readString(stateFile));
        daemon.reload(conf, config(true, false));
        daemon.awaitLog("runtime backend web " + WEB2 + " is in the config now: a config backend from here on, at the"
                + " config's weight (it was added at weight 3)");
        await("web2 at the file's weight", () -> lb.weights().equals(Map.of(WEB1, 1, WEB2, 7)));
        assertEquals("config", realServer(WEB2).origin());
        assertFalse(Files.readString(stateFile).contains(SUBNET + ".12"), Files.readString(stateFile));
        daemon.reload(conf, config(false, false));
        await("web2 gone with the file's line", () -> lb.weights().equals(Map.of(WEB1, 1)));
    }

    @Test
    @Order(5)
    void removeDrainsThenDeletes() throws Exception {
        assertEquals(0, backend("add", "web", WEB3).exit());
        await("web3 in", () -> lb.weights().equals(Map.of(WEB1, 1, WEB3, 1)));
        Cli c = backend("remove", "web", WEB3);
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("web " + WEB3 + ": removed; draining"), c.out());
        assertEquals(Map.of(WEB1, 1, WEB3, 0), lb.weights(), "drained first: weight 0");
        assertEquals(Map.of("web1", 3), spread(3), "no new connections to it");
        await("web3 deleted once drained", () -> lb.weights().equals(Map.of(WEB1, 1)));
        assertFalse(Files.readString(stateFile).contains(SUBNET + ".13"), Files.readString(stateFile));
        // Status shows the kernel's table as the last run read it: at most one reconcile interval old.
        await("status no longer lists web3", () -> {
            try {
                return api.status("director", DIRECTOR).virtualServers().get(0).realServers().stream()
                        .noneMatch(r -> r.address().equals(WEB3));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** SIGKILL between the state write and the kernel change: the next start does what the state says. */
    @Test
    @Order(6)
    void aCrashAfterTheStateWriteIsRecoveredAtTheNextStart() throws Exception {
        restartWith(List.of(STALL));
        try (JarProcess order = JarProcess.startIn(lab.ns("director"), dir, args("add", "web", WEB3))) {
            daemon.awaitLog("stalling after writing " + stateFile);
            assertTrue(Files.readString(stateFile).contains(SUBNET + ".13"), "the intent is written");
            assertEquals(Map.of(WEB1, 1), lb.weights(), "the kernel is not touched yet");
            daemon.signal("KILL");
            daemon.waitFor();
        }
        daemon = start(List.of());
        await("the persisted add is carried out at start", () -> lb.weights().equals(Map.of(WEB1, 1, WEB3, 1)));
        assertEquals("runtime", realServer(WEB3).origin());

        restartWith(List.of(STALL));
        try (JarProcess order = JarProcess.startIn(lab.ns("director"), dir, args("remove", "web", WEB3))) {
            daemon.awaitLog("stalling after writing " + stateFile);
            assertFalse(Files.readString(stateFile).contains(SUBNET + ".13"), "the intent is written");
            assertEquals(Map.of(WEB1, 1, WEB3, 1), lb.weights(), "the kernel is not touched yet");
            daemon.signal("KILL");
            daemon.waitFor();
        }
        daemon = start(List.of());
        await("the persisted remove is carried out at start: drained, then deleted",
                () -> lb.weights().equals(Map.of(WEB1, 1)));
        daemon.awaitLog("removed");
    }

    /**
     * An IPv6 persistent service on nftables keeps its real servers on one port (the engine
     * records an IPv6 client's real server by address only): {@code backend add} on another port is
     * refused at once with the engine's reason and counted, where it was taken and then refused by
     * the engine at every reconcile run (RuntimeBackendsTest: the same backend on the service's
     * port is taken).
     */
    @Test
    @Order(7)
    void aBackendTheEngineCannotProgramBesideTheOthersIsRefusedAtOnce() throws Exception {
        daemon.reload(conf, config(false, false, SIX_SERVICE));
        String table = lb.listing();
        String state = Files.readString(stateFile);
        assertRefused(backend("add", "six", "[2001:db8:192::12]:8081"), "virtual server six is persistent over IPv6 and"
                + " its backends are on port 8080: the nftables data plane has no IPv6 persistence over real servers on"
                + " different ports");
        assertEquals(table, lb.listing(), "a refused order changes nothing");
        assertEquals(state, Files.readString(stateFile));
        assertEquals(1, api.metrics("director", DIRECTOR).value("vipkeeper_backend_orders_total", "order", "add", "outcome",
                "refused_bad_request"));
    }

    /**
     * A reload that moves six's pool to another port while a runtime backend sits on the old one
     * is refused, naming the backend and what to do, and changes nothing; once the runtime backend
     * is removed the same reload runs. Before, the runtime backend was merged back in on the old
     * port and the engine refused every new real server at every run while the old ones drained.
     * A bare address refused by the same rule is told it meant the service's port.
     */
    @Test
    @Order(8)
    void aReloadThatMovesAPoolAwayFromARuntimeBackendIsRefusedUntilItIsRemoved() throws Exception {
        assertRefused(backend("add", "six", "2001:db8:192::13"), "2001:db8:192::13 has no port, which means the"
                + " service's port, 80: give [ADDR]:PORT");
        Cli added = backend("add", "six", "[2001:db8:192::12]:8080");
        assertEquals(0, added.exit(), added.err());
        String table = lb.listing();
        String moved = config(false, false, SIX_SERVICE.replace("port = 8080", "port = 9090"));
        Files.writeString(conf, moved);
        Cli reload = BackendCli.finish(JarProcess.startIn(lab.ns("director"), dir, "reload", "--pid-file",
                pidFile.toString()));
        assertRefused(reload, "vipkeeper.ipvs.virtual-servers.six.real-servers: runtime backend [2001:db8:192::12]:8080"
                + " (vipkeeper backend add, on port 8080) conflicts with this file: virtual server six is persistent over"
                + " IPv6 and its backends are on port 9090");
        assertTrue(reload.err().contains("`vipkeeper backend remove six [2001:db8:192::12]:8080` first"), reload.err());
        assertTrue(reload.err().contains("still running the previous config"), reload.err());
        assertEquals(table, lb.listing(), "a refused reload changes nothing");

        assertEquals(0, backend("remove", "six", "[2001:db8:192::12]:8080").exit());
        daemon.reload(conf, moved);
        await("six's pool on 9090", () -> Integer.valueOf(1).equals(sixWeights().get("[2001:db8:192::11]:9090")));
    }

    /** The kernel weights of six's backends, as the director's status has them. */
    private static Map<String, Integer> sixWeights() {
        try {
            Map<String, Integer> w = new TreeMap<>();
            api.status("director", DIRECTOR).virtualServers().stream().filter(v -> v.name().equals("six"))
                    .flatMap(v -> v.realServers().stream()).filter(r -> r.kernelWeight() != null)
                    .forEach(r -> w.put(r.address(), r.kernelWeight()));
            return w;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An IPv6 service persistent per client address, its real server on 8080 (no health check). */
    private static final String SIX_SERVICE = """
            six {
              address = "2001:db8:192::100"
              port = 80
              scheduler = rr
              persistence.timeout = 60s
              health-check.type = none
              real-servers = [{ address = "2001:db8:192::11", port = 8080 }]
            }
            """;

    private static void restartWith(List<String> jvm) throws Exception {
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor(), daemon.err());
        daemon = start(jvm);
    }

    private static StatusSnapshot.RealServerStatus realServer(String address) {
        return BackendCli.realServer(api, DIRECTOR, address);
    }

    private static String health(String address) {
        return realServer(address).health();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        NatDirector.await(lb, daemon, what, condition);
    }

    private static Map<String, Integer> spread(int requests) throws Exception {
        return BackendCli.spread(lab, VIP, requests);
    }
}
