package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.vm.Shell.run;
import static io.vipkeeper.appliance.vm.Shell.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code vipkeeper run} with only an ipvs section, as a process in a namespace of the real-IPVS
 * kernel, with ipvsadm as the oracle: it programs the table, repairs hand edits and leaves foreign
 * services alone, applies a reload, and a restart adopts the table without a single change.
 * The steps share one daemon (JVM starts are slow under TCG), so they run in order.
 */
@Tag(VmSuite.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IpvsDaemonVmTest {
    private static final String NS = "vkd-lb";
    private static final String WEB = "web { address = \"198.18.0.100\", port = 80, scheduler = wrr,"
            + " real-servers = [{ address = \"198.18.0.11\", port = 8080 }, { address = \"198.18.0.12\", port = 8080,"
            + " weight = 2 }] }\n";
    private static final String DNS = "dns { address = \"198.18.0.100\", port = 53, protocol = udp, scheduler = rr,"
            + " one-packet = true, real-servers = [{ address = \"198.18.0.11\" }] }\n";
    private static Path dir;
    private static Path conf;
    private static JarProcess daemon;

    @BeforeAll
    static void lab() throws Exception {
        sh("ip netns del " + NS + " 2>/dev/null; ip netns add " + NS + " && ip -n " + NS + " link set lo up && ip -n "
                + NS + " link add eth0 type dummy && ip -n " + NS + " link set eth0 up && ip -n " + NS
                + " addr add 198.18.0.1/24 dev eth0");
        dir = Files.createTempDirectory("vk-ipvsd");
        conf = dir.resolve("vipkeeper.conf");
        write(WEB + DNS);
        daemon = start();
    }

    @AfterAll
    static void cleanUp() {
        if (daemon != null) {
            daemon.close();
        }
        run("ip", "netns", "del", NS);
    }

    private static void write(String servers) throws Exception {
        // No backends answer here: health checks would take every real server out.
        Files.writeString(conf, "vipkeeper {\n api.listen = \"\"\n ipvs {\n reconcile-interval = 500ms\n"
                + " virtual-server-defaults.health-check.type = none\n"
                + " virtual-servers {\n" + servers + " }\n }\n}\n");
    }

    private static JarProcess start() throws Exception {
        // One state directory for every start: what a run owns is known to the next.
        // Cached reads from the first real server (the daemon's threshold is 1000), so that the
        // hand edits below are found the way a large table's are (IpvsReads).
        JarProcess p = JarProcess.startIn(NS, dir, List.of("-Dvipkeeper.ipvs.cached-reads-from=1"), "run", "-f",
                conf.toString(), "--state-dir",
                dir.resolve("state").toString());
        p.awaitLog("change(s) at start");
        return p;
    }

    /** {@code ipvsadm -Sn} in the lab as a set of lines (ipvsadm's own order aside). */
    private static Set<String> table() {
        return new TreeSet<>(run("ip", "netns", "exec", NS, "ipvsadm", "-Sn").lines().toList());
    }

    private static void ipvsadm(String args) {
        sh("ip netns exec " + NS + " ipvsadm " + args);
    }

    private static void awaitTable(Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!table().equals(expected)) {
            if (System.nanoTime() > deadline) {
                assertEquals(expected, table(), "the kernel table within 30 s");
            }
            Thread.sleep(200);
        }
    }

    private static final Set<String> PROGRAMMED = new TreeSet<>(List.of(
            "-A -t 198.18.0.100:80 -s wrr",
            "-a -t 198.18.0.100:80 -r 198.18.0.11:8080 -m -w 1",
            "-a -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 2",
            "-A -u 198.18.0.100:53 -s rr -o",
            "-a -u 198.18.0.100:53 -r 198.18.0.11:53 -m -w 1"));

    @Test
    @Order(1)
    void programsTheConfiguredTable() throws Exception {
        assertEquals(PROGRAMMED, table());
        assertTrue(daemon.err().contains("5 change(s) at start"), daemon.err());
    }

    @Test
    @Order(2)
    void repairsHandEditsAndLeavesForeignServicesAlone() throws Exception {
        ipvsadm("-A -t 198.18.0.200:22 -s rr");
        ipvsadm("-D -t 198.18.0.100:80");
        ipvsadm("-e -u 198.18.0.100:53 -r 198.18.0.11:53 -m -w 5");
        Set<String> expected = new TreeSet<>(PROGRAMMED);
        expected.add("-A -t 198.18.0.200:22 -s rr");
        awaitTable(expected);
        daemon.awaitLog("ipvs repaired drift: add service TCP  198.18.0.100:80");
        daemon.awaitLog("ipvs repaired drift: edit real server 198.18.0.11:53");
        // A real server's edit alone leaves the services as they were: the cached runs do not see
        // it, the whole read at most ten runs later does.
        ipvsadm("-e -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 9");
        awaitTable(expected);
        daemon.awaitLog("ipvs repaired drift: edit real server 198.18.0.12:8080");
    }

    /** The table after the reload of step 3: the foreign service, and web with rr and a third real server. */
    private static final Set<String> RELOADED = new TreeSet<>(List.of(
                "-A -t 198.18.0.200:22 -s rr",
                "-A -t 198.18.0.100:80 -s rr",
                "-a -t 198.18.0.100:80 -r 198.18.0.11:8080 -m -w 1",
                "-a -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 2",
                "-a -t 198.18.0.100:80 -r 198.18.0.13:8080 -m -w 1"));

    @Test
    @Order(3)
    void reloadAppliesOnlyTheDifference() throws Exception {
        write(WEB.replace("scheduler = wrr", "scheduler = rr").replace("weight = 2 }]",
                "weight = 2 }, { address = \"198.18.0.13\", port = 8080 }]"));
        daemon.signal("HUP");
        awaitTable(RELOADED);
        daemon.awaitLog("reload succeeded");
        String log = daemon.err().substring(daemon.err().indexOf("reloading"));
        assertTrue(log.contains("ipvs reload: edit service TCP  198.18.0.100:80 (rr)"), log);
        assertTrue(log.contains("ipvs reload: delete service UDP  198.18.0.100:53"), log);
        assertFalse(log.contains("real server 198.18.0.11:8080"), "an unchanged real server is not touched\n" + log);
    }

    @Test
    @Order(4)
    void aRestartAdoptsTheTableWithoutAChange() throws Exception {
        Set<String> before = table();
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor());
        assertEquals(before, table(), "stopping leaves the table in place");
        daemon = start();
        assertTrue(daemon.err().contains("0 change(s) at start"), daemon.err());
        assertEquals(before, table());
    }

    /** Issue 15: ownership lived in memory, so such a service stayed in the kernel for good. */
    @Test
    @Order(5)
    void aServiceRemovedFromTheConfigWhileStoppedIsDeletedAtTheNextStart() throws Exception {
        String web = Files.readString(conf);
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor());
        write(WEB + DNS);
        daemon = start();
        Set<String> withDns = table();
        assertTrue(withDns.contains("-A -u 198.18.0.100:53 -s rr -o"), withDns.toString());
        daemon.signal("TERM");
        assertEquals(0, daemon.waitFor());
        Files.writeString(conf, web);
        daemon = start();
        awaitTable(RELOADED);
        assertTrue(daemon.err().contains("delete service UDP  198.18.0.100:53"), daemon.err());
    }

    @Test
    @Order(6)
    void ipvsListReadsTheTableLikeIpvsadm() throws Exception {
        try (JarProcess list = JarProcess.startIn(NS, dir, "ipvs", "list")) {
            assertEquals(0, list.waitFor(), list.err());
            assertEquals(run("ip", "netns", "exec", NS, "ipvsadm", "-Ln"), list.out());
        }
        try (JarProcess stats = JarProcess.startIn(NS, dir, "ipvs", "list", "--stats")) {
            assertEquals(0, stats.waitFor(), stats.err());
            assertEquals(run("ip", "netns", "exec", NS, "ipvsadm", "-Ln", "--stats"), stats.out());
        }
        try (JarProcess json = JarProcess.startIn(NS, dir, "ipvs", "list", "--json")) {
            assertEquals(0, json.waitFor(), json.err());
            var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
            assertEquals(2, doc.get("services").size(), json.out());
            var web = doc.get("services").findParents("port").stream()
                    .filter(n -> n.has("scheduler") && n.get("port").asInt() == 80).findFirst().orElseThrow();
            assertEquals("rr", web.get("scheduler").asText());
            assertEquals(3, web.get("realServers").size());
        }
    }
}
