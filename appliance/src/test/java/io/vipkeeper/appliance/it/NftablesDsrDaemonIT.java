package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon forwarding {@code forwarding = dr} on the nftables data plane, on the host kernel:
 * {@code vipkeeper run} in a director's namespace, two busybox web servers prepared by the jar's
 * own {@code vipkeeper realserver up} (VIP on lo, ARP sysctls) and a client, all on one bridge.
 * The client's connections are answered by the backends straight back (the director sees no
 * answer); a hand-flushed MAC map is refilled by the daemon's next reconcile run; a daemon killed
 * and started again adopts the dr table it left with no change (and {@code vipkeeper nftables
 * list} shows it without drift); a reload that drops a backend leaves it no new connections.
 */
class NftablesDsrDaemonIT {
    private static final String SUBNET = "198.18.241";
    private static final String VIP = SUBNET + ".100";
    /** The dr table's map of the web service (see the nftables package). */
    private static final String MAP = "netdev vipkeeper_dsr svc_tcp_c612f164_80_d";

    @TempDir
    Path dir;

    private static String config(String... backends) {
        StringBuilder real = new StringBuilder();
        for (String b : backends) {
            real.append(real.length() == 0 ? "" : ", ").append("{ address = \"").append(SUBNET).append('.').append(b).append("\" }");
        }
        return """
                vipkeeper {
                  node-name = director
                  data-plane = nftables
                  api.listen = ""
                  ipvs {
                    reconcile-interval = 1s
                    virtual-servers.web {
                      address = "%s"
                      port = 80
                      forwarding = dr
                      scheduler = mh
                      scheduler-flags = [mh-port]
                      health-check.type = none
                      real-servers = [%s]
                    }
                  }
                }
                """.formatted(VIP, real);
    }

    @Test
    void backendsAnswerDirectlyAFlushedMapIsRefilledARestartAdoptsTheTableAndAReloadDropsOne() throws Exception {
        try (Lab lab = Lab.create(SUBNET)) {
            WebBackends.add(lab, dir, 2, 80);
            String director = lab.node("director", 1);
            lab.node("client", 50);
            Lab.sh("ip", "-n", director, "addr", "add", VIP + "/32", "dev", "eth0");
            Path rs = Files.writeString(dir.resolve("rs.conf"), "vipkeeper.real-server {\n  vips = [\"" + VIP
                    + "\"]\n  interface = eth0\n}\n");
            for (String web : new String[] {"web1", "web2"}) {
                try (JarProcess up = JarProcess.startIn(lab.ns(web), dir, "realserver", "up", "-f", rs.toString(), "--state",
                        dir.resolve(web + ".state").toString())) {
                    assertEquals(0, up.waitFor(), up.err());
                }
            }
            Lab.sh("ip", "netns", "exec", director, "nft", "add table netdev seen; add chain netdev seen in { type filter"
                    + " hook ingress device eth0 priority -10; }; add rule netdev seen in ip saddr " + VIP + " tcp sport 80 counter");
            Path conf = Files.writeString(dir.resolve("vipkeeper.conf"), config("11", "12"));
            try (JarProcess daemon = lab.own(JarProcess.startIn(director, dir, "run", "-f", conf.toString(),
                    "--state-dir", dir.resolve("state").toString()))) {
                daemon.awaitLog("change(s) at start");
                // The first runs find no MACs yet; a later one has both.
                Lab.await(30, "both backends answer through the VIP", () -> spread(lab, 20).keySet().equals(Set.of("web1", "web2")));
                Matcher seen = Pattern.compile("counter packets (\\d+)").matcher(Lab.sh("ip", "netns", "exec", director, "nft",
                        "list chain netdev seen in"));
                assertTrue(seen.find());
                assertEquals("0", seen.group(1), "the director saw none of the answers");

                Lab.sh("ip", "netns", "exec", director, "nft", "flush map " + MAP);
                Lab.await(10, "the flushed map refilled", () -> elements(lab) > 0);
                assertEquals(Set.of("web1", "web2"), spread(lab, 20).keySet());
            }
            // Killed, the daemon left its tables; started again it finds the dr table right and adopts it.
            try (JarProcess daemon = lab.own(JarProcess.startIn(director, dir, "run", "-f", conf.toString(),
                    "--state-dir", dir.resolve("state").toString()))) {
                daemon.awaitLog("change(s) at start");
                Thread.sleep(3000); // three reconcile runs
                assertTrue(daemon.err().contains("after 0 change(s) at start"), daemon.err());
                assertFalse(daemon.err().contains("programmed"), daemon.err());
                assertFalse(daemon.err().contains("drifted"), daemon.err());
                try (JarProcess list = JarProcess.startIn(director, dir, "nftables", "list")) {
                    assertEquals(0, list.waitFor(), list.err());
                    assertTrue(list.out().contains("mh") && !list.out().contains("drifted"), list.out());
                }

                Files.writeString(conf, config("12"));
                Lab.sh("kill", "-HUP", Long.toString(daemon.pid()));
                Lab.await(30, "web1 gets no new connections after the reload", () -> spread(lab, 20).equals(Map.of("web2", 20)));
            }
        }
    }

    private static int elements(Lab lab) {
        try {
            String map = Lab.sh("ip", "netns", "exec", lab.ns("director"), "nft", "list map " + MAP);
            return map.contains("elements = {") ? map.split(":", -1).length : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Which backend answered each of {@code n} new connections from the client (null answers count as "none"). */
    private static Map<String, Integer> spread(Lab lab, int n) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            seen.merge(String.valueOf(get(lab)), 1, Integer::sum);
        }
        return seen;
    }

    private static String get(Lab lab) {
        return HttpGet.body(lab.ns("client"), VIP, 80, 1000);
    }
}
