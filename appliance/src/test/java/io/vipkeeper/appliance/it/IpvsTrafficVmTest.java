package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real traffic through IPVS as vipkeeper programs it, in the real-IPVS kernel: a load balancer,
 * two web backends on the client's own subnet, a client. NAT needs the built-in SNAT there (and
 * fails without it), wrr splits by weight, persistence pins a client, one-packet UDP spreads
 * datagrams, a removed backend drains its open connection, DR works with {@code vipkeeper
 * realserver up} on the backends, and TUN with ipip. One daemon is reloaded between steps.
 */
@Tag(VmSuite.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IpvsTrafficVmTest {
    private static final String VIP = "198.18.1.100";
    private static final String WEB1 = "{ address = \"198.18.1.11\", port = 8080 WEIGHT1 }";
    private static final String WEB2 = "{ address = \"198.18.1.12\", port = 8080 WEIGHT2 }";
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static JarProcess lb;

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create();
        dir = Files.createTempDirectory("vk-traffic");
        lab.node("lb", 1);
        lab.node("client", 50);
        WebBackends.add(lab, dir, 2, 80, 8080);
        // Without VRRP (an ipvs-only config) the VIP is the operator's; the test adds it.
        Lab.sh("ip", "-n", lab.ns("lb"), "addr", "add", VIP + "/32", "dev", "eth0");
        conf = dir.resolve("vipkeeper.conf");
        write(service("rr", "snat = true", WEB1, WEB2));
        lb = lab.own(JarProcess.startIn(lab.ns("lb"), dir, "run", "-f", conf.toString()));
        lb.awaitLog("change(s) at start");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private static AutoCloseable background(String ns, String... cmd) throws Exception {
        return WebBackends.background(ns, null, cmd);
    }

    private static String service(String scheduler, String extra, String... realServers) {
        return "web { address = \"" + VIP + "\", port = 80, scheduler = " + scheduler + ", " + extra
                + ", real-servers = [" + String.join(", ", realServers).replace(" WEIGHT1", "").replace(" WEIGHT2", "")
                + "] }\n";
    }

    private static void write(String servers) throws Exception {
        Files.writeString(conf, "vipkeeper {\n api.listen = \"\"\n ipvs {\n reconcile-interval = 500ms\n"
                + " drain-timeout = 1m\n virtual-servers {\n" + servers + " }\n }\n}\n");
    }

    private static void reload(String servers) throws Exception {
        int before = count(lb.err(), "reload succeeded");
        write(servers);
        lb.signal("HUP");
        Lab.await(60, "reload", () -> {
            try {
                return count(lb.err(), "reload succeeded") > before;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /**
     * One HTTP GET from the client through the VIP: code 0 and the answering backend's name, or
     * the failure. (busybox nc: Debian's static busybox wget crashes.)
     */
    private static Shell.Result get() {
        Shell.Result r = Shell.tryRun("ip", "netns", "exec", lab.ns("client"), "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + VIP + " 80");
        List<String> lines = r.output().strip().lines().toList();
        boolean ok = r.code() == 0 && !lines.isEmpty() && lines.get(0).contains(" 200 ");
        return new Shell.Result(ok ? 0 : 1, ok ? lines.get(lines.size() - 1) : r.output());
    }

    private static Map<String, Integer> spread(int requests) {
        Map<String, Integer> hits = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            Shell.Result r = get();
            assertEquals(0, r.code(), "request " + i + " through the VIP failed: " + r.output());
            hits.merge(r.output().strip(), 1, Integer::sum);
        }
        return hits;
    }

    private static String ipvsadm(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("lb"), "ipvsadm"));
        cmd.addAll(List.of(args));
        return Shell.run(cmd.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void natWithSnatReachesBackendsOnTheClientsSubnet() {
        assertEquals(Map.of("web1", 3, "web2", 3), spread(6));
        String rules = Shell.run("ip", "netns", "exec", lab.ns("lb"), "nft", "list", "table", "inet", "vipkeeper");
        assertTrue(rules.contains("198.18.1.11 . 8080") && rules.contains("masquerade"), rules);
        assertEquals("1", Shell.run("ip", "netns", "exec", lab.ns("lb"), "cat", "/proc/sys/net/ipv4/vs/conntrack").strip());
    }

    @Test
    @Order(3)
    void withoutSnatTheBackendsAnswerTheClientDirectlyAndItFails() throws Exception {
        reload(service("rr", "snat = false", WEB1, WEB2));
        Shell.Result r = get();
        assertNotEquals(0, r.code(), "expected a failure without SNAT, got " + r.output());
        assertNotEquals(0, Shell.tryRun("ip", "netns", "exec", lab.ns("lb"), "nft", "list", "table", "inet",
                "vipkeeper").code(), "the table is removed when no service needs it");
    }

    @Test
    @Order(4)
    void aDeletedSnatTableIsPutBack() throws Exception {
        reload(service("rr", "snat = true", WEB1, WEB2));
        assertEquals(0, get().code());
        Shell.run("ip", "netns", "exec", lab.ns("lb"), "nft", "delete", "table", "inet", "vipkeeper");
        lb.awaitLog("nat repaired drift");
        assertEquals(0, get().code());
    }

    @Test
    @Order(5)
    void wrrSplitsByWeight() throws Exception {
        reload(service("wrr", "snat = true", WEB1.replace("WEIGHT1", ", weight = 1"),
                WEB2.replace("WEIGHT2", ", weight = 3")));
        assertEquals(Map.of("web1", 2, "web2", 6), spread(8));
    }

    @Test
    @Order(6)
    void persistencePinsAClient() throws Exception {
        reload(service("rr", "snat = true, persistence.timeout = 60s", WEB1, WEB2));
        assertEquals(1, spread(6).size(), "one backend for one client");
    }

    @Test
    @Order(7)
    void onePacketUdpSpreadsEveryDatagram() throws Exception {
        reload(service("rr", "snat = true", WEB1, WEB2) + "dns { address = \"" + VIP + "\", port = 53, protocol = udp,"
                + " scheduler = rr, one-packet = true, health-check.type = none, real-servers = [{ address = \"198.18.1.11\" },"
                + " { address = \"198.18.1.12\" }] }\n");
        // Six datagrams from one socket: without one-packet scheduling they would all follow the first.
        Shell.run("ip", "netns", "exec", lab.ns("client"), "bash", "-c",
                "exec 3>/dev/udp/" + VIP + "/53; for i in 1 2 3 4 5 6; do echo q$i >&3; done");
        // The counters follow the packets through the VM's bridge; give them a moment under TCG.
        String stats = ipvsadm("-Ln", "--stats", "-u", VIP + ":53");
        for (int tries = 0; tries < 50 && inPackets(stats, "UDP  " + VIP + ":53") < 6; tries++) {
            Thread.sleep(200);
            stats = ipvsadm("-Ln", "--stats", "-u", VIP + ":53");
        }
        assertEquals(3, inPackets(stats, "198.18.1.11:53"), stats);
        assertEquals(3, inPackets(stats, "198.18.1.12:53"), stats);
    }

    /** The InPkts column of the {@code ipvsadm -Ln --stats} line that starts with {@code label}. */
    private static int inPackets(String stats, String label) {
        return stats.lines().map(String::strip).filter(l -> l.startsWith(label) || l.startsWith("-> " + label))
                .map(l -> l.split("\\s+")).map(f -> Integer.parseInt(f[f.length - 4])).findFirst().orElse(-1);
    }

    @Test
    @Order(2)
    void aRemovedBackendDrainsItsOpenConnection() throws Exception {
        // Runs before the failing no-SNAT step: its half-open connection would count as active.
        // An idle connection: busybox httpd waits for the request line.
        AutoCloseable open = background(lab.ns("client"), "sh", "-c", "sleep 40 | busybox nc " + VIP + " 80");
        try {
            String busy = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (busy == null && System.nanoTime() < deadline) {
                for (String line : ipvsadm("-Ln", "-t", VIP + ":80").lines().toList()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 5 && f[0].equals("->") && f[1].startsWith("198.18.1.") && f[4].equals("1")) {
                        busy = f[1];
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(busy != null, "no active connection seen");
            String keep = busy.startsWith("198.18.1.11") ? WEB2 : WEB1;
            reload(service("rr", "snat = true", keep));
            String table = ipvsadm("-Ln", "-t", VIP + ":80");
            assertTrue(table.matches("(?s).*" + busy.replace(".", "\\.") + "\\s+Masq\\s+0\\s+1\\s.*"),
                    "draining at weight 0 with its connection\n" + table);
            lb.awaitLog("removed, draining 1 active connections");
        } finally {
            open.close();
        }
        String gone = busyLineGoneWithin(30);
        assertTrue(gone.isEmpty(), gone);
    }

    private static String busyLineGoneWithin(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String table = "";
        while (System.nanoTime() < deadline) {
            table = ipvsadm("-Ln", "-t", VIP + ":80");
            if (table.lines().filter(l -> l.contains("->") && l.contains("198.18.1.")).count() == 1) {
                return "";
            }
            Thread.sleep(200);
        }
        return "the drained backend was not deleted after its connection closed:\n" + table
                + ipvsadm("-Lnc") + Shell.run("ip", "netns", "pids", lab.ns("client"));
    }

    @Test
    @Order(8)
    void directRoutingWithRealserverUpOnTheBackends() throws Exception {
        realservers("up");
        try {
            reload(service("rr", "forwarding = dr", "{ address = \"198.18.1.11\" }", "{ address = \"198.18.1.12\" }"));
            assertEquals(Map.of("web1", 2, "web2", 2), spread(4));
        } finally {
            realservers("down");
        }
    }

    @Test
    @Order(9)
    void tunnelWithIpip() throws Exception {
        realservers("up");
        try {
            for (String web : new String[] {"web1", "web2"}) {
                Lab.sh("ip", "netns", "exec", lab.ns(web), "sh", "-c", "ip link set tunl0 up"
                        + " && sysctl -qw net.ipv4.conf.tunl0.rp_filter=0 net.ipv4.conf.all.rp_filter=0");
            }
            reload(service("rr", "forwarding = tun", "{ address = \"198.18.1.11\" }", "{ address = \"198.18.1.12\" }"));
            assertEquals(Map.of("web1", 2, "web2", 2), spread(4));
            assertTrue(ipvsadm("-Ln").contains("Tunnel"));
        } finally {
            realservers("down");
        }
    }

    private static void realservers(String action) throws Exception {
        Path rsConf = dir.resolve("realserver.conf");
        Files.writeString(rsConf, "vipkeeper.real-server { vips = [\"" + VIP + "\"], interface = eth0 }\n");
        for (String web : new String[] {"web1", "web2"}) {
            try (JarProcess p = JarProcess.startIn(lab.ns(web), dir, "realserver", action, "-f", rsConf.toString(),
                    "--state", dir.resolve(web + ".state").toString())) {
                assertEquals(0, p.waitFor(), "realserver " + action + " on " + web + ": " + p.err());
            }
        }
    }

    @Test
    @Order(10)
    void stoppingRemovesTheSnatTableAndLeavesTheIpvsTable() throws Exception {
        reload(service("rr", "snat = true", WEB1, WEB2));
        assertEquals(0, get().code());
        // The tunnel step's real servers drain (weight 0, deleted after a grace): wait for them.
        Lab.await(30, "the drained real servers deleted", () -> ipvsadm("-Sn").lines()
                .filter(l -> l.startsWith("-a")).count() == 2);
        String table = ipvsadm("-Sn");
        lb.signal("TERM");
        assertEquals(0, lb.waitFor(), lb.err());
        assertNotEquals(0, Shell.tryRun("ip", "netns", "exec", lab.ns("lb"), "nft", "list", "table", "inet",
                "vipkeeper").code(), "the masquerade table goes with the daemon");
        assertEquals(table, ipvsadm("-Sn"), "the IPVS table stays for the next start to adopt");
    }
}
