package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The daemon on the nftables data plane, on the host kernel: {@code vipkeeper run} with
 * {@code data-plane = nftables} as a process in a director's namespace, a client, and three
 * busybox web servers that answer their own name and, at {@code /cgi-bin/peer}, the address they
 * see the request from. Service {@code web} (VIP:80 to web1 and web2, HTTP-checked) is plain NAT:
 * web1 and web2 route the client through the director. Service {@code masq} (VIP:81 to web3) has
 * {@code snat = true}, and web3 has no route back. {@code nft} is the oracle for the kernel, the
 * client's requests the proof. The steps share one daemon (a JVM start is slow on a busy host), so
 * they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NftablesDaemonIT {
    private static final String SUBNET = "198.18.231";
    private static final int DIRECTOR = 1;
    private static final String CLIENT = SUBNET + ".50";
    private static final String VIP = SUBNET + ".100";
    private static final String WEB1 = SUBNET + ".11:80";
    private static final String WEB2 = SUBNET + ".12:80";
    private static final String WEB3 = SUBNET + ".13:80";
    /** The engine's chain for the web service: svc_PROTO_ADDRESS-IN-HEX_PORT (see the nftables package). */
    private static final String WEB_CHAIN = "svc_tcp_c612e764_80";
    /** A table of the test's own in the director, which the daemon must never touch. */
    private static final String FOREIGN = "inet nftit_foreign";
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static JarProcess daemon;
    private static LabApi api;
    private static NftLbTable lb;
    private static String foreignTable;
    private static final Map<String, AutoCloseable> servers = new TreeMap<>();

    private static String config(String dataPlane, String scheduler, int web2Weight) {
        return config(dataPlane, scheduler, web2Weight, "");
    }

    /** The config, service masq with {@code snatAddress} ("" = masquerade). */
    private static String config(String dataPlane, String scheduler, int web2Weight, String snatAddress) {
        String check = "health-check { type = http, interval = 300ms, timeout = 250ms, rise = 2, fall = 2 }";
        return NatDirector.config(dataPlane, "api.listen = \"" + SUBNET + "." + DIRECTOR + ":9180\"", "",
                NatDirector.web(VIP, scheduler, check,
                        "{ address = \"%s.11\" }, { address = \"%s.12\", weight = %d }".formatted(SUBNET, SUBNET, web2Weight)),
                """
                masq {
                  address = "%s"
                  port = 81
                  scheduler = rr
                  snat = true
                  %s
                  real-servers = [{ address = "%s.13", port = 80 }]
                }
                """.formatted(VIP, snatAddress.isEmpty() ? "health-check.type = none" : "snat-address = \"" + snatAddress
                        + "\"\nhealth-check { type = tcp, interval = 300ms, timeout = 250ms, rise = 1, fall = 2 }", SUBNET));
    }

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create(SUBNET);
        lb = new NftLbTable(lab, "director");
        try {
            dir = Files.createTempDirectory("vk-nftd");
            NatDirector.create(lab, DIRECTOR, VIP);
            for (int i = 1; i <= 3; i++) {
                String name = "web" + i;
                lab.node(name, 10 + i);
                Path root = Files.createDirectories(dir.resolve(name).resolve("cgi-bin"));
                Files.writeString(root.resolveSibling("index.html"), name + "\n");
                Path peer = root.resolve("peer");
                Files.writeString(peer, "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REMOTE_ADDR\"\n");
                Files.setPosixFilePermissions(peer, PosixFilePermissions.fromString("rwxr-xr-x"));
                serve(name);
                if (i < 3) { // web3 has no route back: service masq (snat) is how it answers
                    NatDirector.routeBack(lab, name, SUBNET, DIRECTOR);
                }
            }
            nft("add table " + FOREIGN + "; add chain " + FOREIGN
                    + " keep { type filter hook input priority 10; policy accept; }; add rule " + FOREIGN
                    + " keep tcp dport 9 counter comment \"the test's own\"");
            foreignTable = nft("list table " + FOREIGN);
            api = new LabApi(lab);
            conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, config("nftables", "rr", 1));
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

    /** Starts the daemon with one state directory for every start: what a run owns is known to the next. */
    private static JarProcess start() throws Exception {
        JarProcess p = lab.own(JarProcess.startIn(lab.ns("director"), dir, "run", "-f", conf.toString(),
                "--state-dir", dir.resolve("state").toString()));
        p.awaitLog("change(s) at start");
        p.awaitLog("status API on http://");
        return p;
    }

    private static void serve(String name) throws Exception {
        servers.put(name, NatDirector.httpd(lab, name, dir.resolve(name)));
    }

    private static void kill(String name) throws Exception {
        servers.remove(name).close();
    }

    @Test
    @Order(1)
    void trafficReachesEveryBackendAndStatusShowsTheEngineAndTable() throws Exception {
        await("both web backends in the kernel", () -> weights().equals(Map.of(WEB1, 1, WEB2, 1, WEB3, 1)));
        assertEquals(Map.of("web1", 3, "web2", 3), spread(80, 6));
        assertTrue(daemon.err().contains("data plane: nftables (data-plane = nftables)"), daemon.err());
        assertTrue(daemon.err().contains("nftables programmed: add real server " + WEB1), daemon.err());

        StatusSnapshot.DataPlane plane = api.status("director", DIRECTOR).dataPlane();
        assertEquals(new StatusSnapshot.DataPlane("nftables", "nftables", "data-plane = nftables"), plane);
        assertEquals(1, api.metrics("director", DIRECTOR).value("vipkeeper_data_plane_info", "engine", "nftables",
                "choice", "nftables"));
        await("status shows web1 and web2 in the kernel at weight 1", () -> {
            StatusSnapshot.VirtualServerStatus web = virtualServer("web");
            return web.inKernel() && kernelWeights(web).equals(Map.of(WEB1, 1, WEB2, 1));
        });
        try (JarProcess cli = JarProcess.startIn(lab.ns("director"), dir, "status", "-f", conf.toString())) {
            assertEquals(0, cli.waitFor(), cli.err());
            String out = cli.out();
            assertTrue(out.contains("\ndata plane: nftables (data-plane = nftables)\n"), out);
            assertTrue(out.matches("(?s).*\nweb tcp " + Pattern.quote(VIP) + ":80 rr nat +yes.*"), out);
            assertTrue(out.matches("(?s).*\n  -> " + Pattern.quote(WEB1) + " +up +enabled +1 +config +weight 1 .*"), out);
            assertTrue(out.matches("(?s).*\n  -> " + Pattern.quote(WEB2) + " +up +enabled +1 +config +weight 1 .*"), out);
            assertTrue(out.contains("\nnftables: kernel table read at "), out);
        }
    }

    @Test
    @Order(2)
    void aDeadBackendLeavesTheTableAndComesBack() throws Exception {
        kill("web1");
        await("web1 out of the kernel", () -> !weights().containsKey(WEB1));
        daemon.awaitLog("pool web: " + WEB1 + " DOWN");
        assertEquals(Map.of("web2", 4), spread(80, 4));
        await("status says web1 is down and not in the kernel", () -> {
            StatusSnapshot.RealServerStatus rs = realServer("web", WEB1);
            return rs.health().equals("down") && rs.kernelWeight() == null;
        });

        serve("web1");
        await("web1 back in the kernel", () -> weights().equals(Map.of(WEB1, 1, WEB2, 1, WEB3, 1)));
        daemon.awaitLog("pool web: " + WEB1 + " UP");
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4));
    }

    @Test
    @Order(3)
    void aWeightReloadIsOneChangeAndAnLcReloadIsRefusedAtItsLine() throws Exception {
        String log = reload(config("nftables", "rr", 3), "reload succeeded");
        List<String> changes = log.lines().filter(l -> l.contains("nftables reload:")).toList();
        assertEquals(1, changes.size(), log);
        assertTrue(changes.get(0).contains("nftables reload: edit real server " + WEB2 + " of TCP  " + VIP + ":80"), log);
        await("web2 at weight 3 in the kernel", () -> weights().equals(Map.of(WEB1, 1, WEB2, 3, WEB3, 1)));
        await("status shows web2 at weight 3", () -> kernelWeights(virtualServer("web")).equals(Map.of(WEB1, 1, WEB2, 3)));

        String table = lbTable();
        String lc = config("nftables", "lc", 3);
        int line = lineOf(lc, "scheduler = lc");
        log = reload(lc, "reload failed");
        String problem = conf + ":" + line + ": vipkeeper.ipvs.virtual-servers.web.scheduler: the nftables data plane"
                + " has no scheduler lc";
        assertTrue(log.contains(problem), problem + " in\n" + log);
        assertFalse(log.contains("nftables reload:"), log);
        StatusSnapshot.LastReload last = api.status("director", DIRECTOR).reloads().last();
        assertFalse(last.ok(), last.toString());
        assertTrue(last.problems().stream().anyMatch(p -> p.startsWith(conf + ":" + line + ": ")), last.toString());
        Thread.sleep(2000); // two reconcile intervals: a run that took the refused file would show now
        assertEquals(table, lbTable(), "a refused reload changes nothing");
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4));
        Files.writeString(conf, config("nftables", "rr", 3)); // the running config, for the restarts below
    }

    @Test
    @Order(4)
    void handEditsAreRepairedAndAForeignTableIsNeverTouched() throws Exception {
        Map<String, Integer> programmed = weights();
        int repairs = count(daemon.err(), "nftables repaired drift:");
        long repairsInStatus = api.status("director", DIRECTOR).ipvs().repairs();
        long t0 = System.nanoTime();
        nft("delete table inet vipkeeper_lb");
        await("the deleted table back", () -> weights().equals(programmed));
        System.out.printf("nftables: deleted table repaired after %d ms (reconcile-interval 1s)%n",
                (System.nanoTime() - t0) / 1_000_000);
        daemon.awaitLog("nftables repaired drift: add service TCP  " + VIP + ":80");
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4));

        String slots = "inet vipkeeper_lb " + WEB_CHAIN + "_m";
        // Flushed and listed in one nft run: a second run could come after the daemon's repair.
        assertFalse(nft("flush map " + slots + "; list map " + slots).contains(SUBNET), "the slot map is empty");
        t0 = System.nanoTime();
        await("the flushed slot map refilled", () -> {
            try {
                return nft("list map " + slots).contains(WEB2.replace(":", " . "));
            } catch (Exception e) {
                return false;
            }
        });
        System.out.printf("nftables: flushed slot map repaired after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        daemon.awaitLog("nftables repaired drift: edit service TCP  " + VIP + ":80");
        assertTrue(count(daemon.err(), "nftables repaired drift:") > repairs + 1, daemon.err());
        await("status counts the repairs", () -> {
            try {
                return api.status("director", DIRECTOR).ipvs().repairs() > repairsInStatus + 1;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4));
        assertEquals(foreignTable, nft("list table " + FOREIGN), "the test's own table is untouched");
    }

    @Test
    @Order(5)
    void aStoppedDaemonLeavesTheTableAndTheNextStartAdoptsIt() throws Exception {
        String table = lbTable();
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor(), daemon.err());
        assertEquals(table, lbTable(), "stopping leaves the engine's table in place");
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4), "traffic flows while the daemon is down");
        daemon = start();
        assertTrue(daemon.err().contains("nftables: 2 virtual server(s) in the kernel after 0 change(s) at start"),
                daemon.err());
        assertEquals(table, lbTable());
        assertEquals(foreignTable, nft("list table " + FOREIGN), "the test's own table is untouched");
    }

    @Test
    @Order(6)
    void snatLetsABackendWithoutARouteBackAnswer() throws Exception {
        await("the SNAT table", () -> {
            try {
                return nft("list table inet vipkeeper").contains("masquerade");
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(Map.of("web3", 3), spread(81, 3));
        assertEquals(SUBNET + "." + DIRECTOR, peer(81), "web3 sees the director (masquerade from inet vipkeeper)");
    }

    /**
     * {@code snat-address}: the backend sees that address instead of the director's outgoing one
     * (here a second address of the director's, as a VIP would be); a reload back to masquerade
     * puts the director's own address back.
     */
    @Test
    @Order(7)
    void snatAddressIsTheSourceTheBackendSees() throws Exception {
        String source = SUBNET + ".200";
        Lab.sh("ip", "-n", lab.ns("director"), "addr", "add", source + "/24", "dev", "eth0");
        reload(config("nftables", "rr", 3, source), "reload succeeded");
        await("the SNAT rule to " + source, () -> {
            try {
                return nft("list table inet vipkeeper").contains("snat ip to " + source);
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(source, peer(81), "web3 sees the configured source address");
        // The director's own checks of web3 keep the director's address: without the address (a
        // backup, whose VIP it is not), web3 stays up (it went down: the checks were translated too).
        Lab.sh("ip", "-n", lab.ns("director"), "addr", "del", source + "/24", "dev", "eth0");
        int before = daemon.logCount(WEB3 + " DOWN");
        Thread.sleep(3000);
        assertEquals(before, daemon.logCount(WEB3 + " DOWN"), daemon.err());
        Lab.sh("ip", "-n", lab.ns("director"), "addr", "add", source + "/24", "dev", "eth0");
        reload(config("nftables", "rr", 3), "reload succeeded");
        await("masquerade again", () -> {
            try {
                return nft("list table inet vipkeeper").contains("masquerade");
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(SUBNET + "." + DIRECTOR, peer(81), "web3 sees the director again (masquerade)");
    }

    /**
     * A service without {@code snat} is plain NAT, as with IPVS: the backend sees the client's own
     * address (and answers through the director, its route back). A masquerade of every DNATed
     * flow in the engine's own table hid it.
     */
    @Test
    @Order(8)
    void plainNatShowsTheBackendTheClientsAddress() throws Exception {
        assertEquals(Map.of("web1", 1, "web2", 1), spread(80, 2));
        assertEquals(CLIENT, peer(80), "a service without snat shows its backend the client's own address");
    }

    @Test
    @Order(9)
    void autoPicksNftablesWhereTheKernelHasNoIpvsAndSaysWhy() throws Exception {
        Assumptions.assumeTrue(noIpvs(), "this kernel has IPVS: auto would pick it");
        String table = lbTable();
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor(), daemon.err());
        Files.writeString(conf, config("auto", "rr", 3));
        daemon = start();
        assertTrue(daemon.err().contains("data plane: nftables (the kernel has no IPVS ("), daemon.err());
        assertTrue(daemon.err().contains("after 0 change(s) at start"), daemon.err());
        assertEquals(table, lbTable());
        StatusSnapshot.DataPlane plane = api.status("director", DIRECTOR).dataPlane();
        assertEquals("auto", plane.choice());
        assertEquals("nftables", plane.engine());
        assertTrue(plane.reason().startsWith("the kernel has no IPVS ("), plane.reason());
        try (JarProcess cli = JarProcess.startIn(lab.ns("director"), dir, "status", "-f", conf.toString())) {
            assertEquals(0, cli.waitFor(), cli.err());
            assertTrue(cli.out().contains("\ndata plane: nftables (the kernel has no IPVS ("), cli.out());
        }
        assertEquals(Map.of("web1", 2, "web2", 2), spread(80, 4));
    }

    /** Whether neither the kernel nor modprobe has IPVS (the host these tests are written for). */
    private static boolean noIpvs() throws InterruptedException {
        try {
            Lab.sh("modprobe", "-n", "-q", "ip_vs");
            return false;
        } catch (IOException e) {
            return !Files.exists(Path.of("/proc/net/ip_vs"));
        }
    }

    /** Writes {@code text}, sends SIGHUP, waits for {@code outcome}; returns the log from this reload on. */
    private static String reload(String text, String outcome) throws Exception {
        int before = count(daemon.err(), outcome);
        int from = daemon.err().length();
        Files.writeString(conf, text);
        daemon.signal("HUP");
        daemon.awaitLog(outcome, before + 1);
        return daemon.err().substring(from);
    }

    private static int lineOf(String text, String what) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(what)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(what);
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    private static String nft(String command) throws IOException, InterruptedException {
        return lb.nft(command);
    }

    private static String lbTable() throws Exception {
        return lb.listing();
    }

    private static Map<String, Integer> weights() {
        return lb.weights();
    }

    private static StatusSnapshot.VirtualServerStatus virtualServer(String name) {
        try {
            return api.status("director", DIRECTOR).virtualServers().stream().filter(v -> v.name().equals(name))
                    .findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static StatusSnapshot.RealServerStatus realServer(String service, String address) {
        return virtualServer(service).realServers().stream().filter(r -> r.address().equals(address)).findFirst()
                .orElseThrow();
    }

    /** The kernel weight of each real server the kernel has, as status shows it. */
    private static Map<String, Integer> kernelWeights(StatusSnapshot.VirtualServerStatus vs) {
        Map<String, Integer> weights = new HashMap<>();
        vs.realServers().stream().filter(r -> r.kernelWeight() != null)
                .forEach(r -> weights.put(r.address(), r.kernelWeight()));
        return weights;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        NatDirector.await(lb, daemon, what, condition);
    }

    /** Which backend answered each of {@code requests} requests from the client to VIP:port (each a new connection). */
    private static Map<String, Integer> spread(int port, int requests) throws Exception {
        Map<String, Integer> hits = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            hits.merge(get(port, "/"), 1, Integer::sum);
        }
        return hits;
    }

    /** The address the backend behind VIP:port saw the client's request from. */
    private static String peer(int port) throws Exception {
        String seen = get(port, "/cgi-bin/peer");
        // busybox httpd listens on IPv6 and shows an IPv4 peer mapped and in brackets.
        return seen.replaceAll("^\\[(::ffff:)?|]$", "");
    }

    /** The body of GET {@code path} from the client through VIP:port, which must answer 200. */
    private static String get(int port, String path) throws Exception {
        String out;
        try {
            out = Lab.sh("ip", "netns", "exec", lab.ns("client"), "curl", "-sS", "--fail", "--max-time", "3",
                    "http://" + VIP + ":" + port + path);
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " through " + VIP + ":" + port + " failed: " + e.getMessage()
                    + "\nnft:\n" + weights() + "\ndaemon:\n" + daemon.log(), e);
        }
        assertNotNull(out);
        return out.strip();
    }
}
