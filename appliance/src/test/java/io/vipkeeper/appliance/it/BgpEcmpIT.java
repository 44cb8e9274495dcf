package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's lab on the nftables engine ({@link BgpLab}): three directors announce the VIP through
 * their own FRR and the router spreads the client's flows over all three; long-lived connections
 * keep their backend when their director goes; a director's vipkeeper killed with SIGKILL leaves
 * the router's nexthops while its FRR lives (the tun device goes with the process); a backend
 * failing and returning keeps every director's pick for the same flows identical; a service
 * below quorum and a reload that drops the VIP withdraw; a graceful stop withdraws before the
 * daemon exits and loses no connection; a whole director that dies (link and every process) is
 * withdrawn by BFD (300 ms x 3) or, without it, by the hold timer (3 s). The times are printed.
 */
class BgpEcmpIT {
    static final String SUBNET = "198.19.40";
    static final String VIP = "198.19.43.100";
    private static final int CONNECTIONS = 30;

    @TempDir
    Path dir;

    private BgpLab lab;
    private final Map<Integer, JarProcess> daemons = new HashMap<>();
    private final Map<Integer, Path> configs = new HashMap<>();

    /** Director {@code director}'s file: web (80) and echo services on the VIP, mh over three backends, {@code quorum}. */
    static String config(int director, int quorum, boolean bgp) {
        return BgpDirectorConfig.fast("nftables", SUBNET, VIP).text(director, quorum, bgp);
    }

    private JarProcess start(int director) throws Exception {
        Path conf = configs.computeIfAbsent(director, d -> dir.resolve("d" + d + ".conf"));
        Files.writeString(conf, config(director, 2, true));
        JarProcess p = lab.lab().own(JarProcess.startIn(lab.lab().ns("d" + director), dir, "run", "-f", conf.toString(),
                "--run-dir", dir.resolve("run-d" + director).toString()));
        daemons.put(director, p);
        return p;
    }

    private static String hop(int director) {
        return SUBNET + ".2" + director;
    }

    private Set<String> hops() {
        try {
            return new TreeSet<>(lab.nexthops());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> hopsOf(int... directors) {
        Set<String> s = new TreeSet<>();
        for (int d : directors) {
            s.add(hop(d));
        }
        return s;
    }

    /** Milliseconds from now until the router's nexthops are {@code expected}. */
    private long millisUntil(Set<String> expected, double seconds) throws Exception {
        long t0 = System.nanoTime();
        try {
            Lab.await(seconds, "the router's nexthops become " + expected, () -> hops().equals(expected));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (they are " + hops() + ")\n" + diagnosis(), e);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The router's BGP view and each director's, with the daemons' logs: why a nexthop is missing. */
    private String diagnosis() {
        StringBuilder b = new StringBuilder();
        try {
            b.append("router:\n").append(lab.router().vtysh("show bgp summary")).append(lab.router().vtysh("show bgp ipv4"));
            for (Map.Entry<Integer, JarProcess> d : daemons.entrySet()) {
                b.append("d").append(d.getKey()).append(":\n").append(lab.frr(d.getKey()).vtysh("show bgp ipv4"))
                        .append(Lab.sh("ip", "-n", lab.lab().ns("d" + d.getKey()), "-o", "addr"))
                        .append(d.getValue().log());
            }
        } catch (Exception e) {
            b.append(e);
        }
        return b.toString();
    }

    private String status(int director) throws Exception {
        try (JarProcess p = JarProcess.startIn(lab.lab().ns("d" + director), dir, "status", "--run-dir",
                dir.resolve("run-d" + director).toString())) {
            assertEquals(0, p.waitFor(), p.err());
            return p.out();
        }
    }

    @Test
    void threeDirectorsShareTheVipAndEachWayOfLosingOneWithdrawsIt() throws Exception {
        BgpLab created = BgpLab.create(dir, SUBNET, VIP, 3, List.of(1, 2), 3);
        lab = created;
        try (created; LongLivedFlows flows = new LongLivedFlows(lab.lab().ns("client"))) {
            for (int d = 1; d <= 3; d++) {
                start(d);
            }
            long announced = millisUntil(hopsOf(1, 2, 3), 90);
            System.out.println("bgp lab: all three directors announced " + announced + " ms after their start");
            assertTrue(status(1).matches("(?s).*" + VIP.replace(".", "\\.") + " +announced .*serving 2 virtual servers.*"),
                    status(1));

            // Spread: new connections land on every director and every backend.
            Map<String, Long> before = lab.packetsByDirector();
            Map<String, Integer> backends = new TreeMap<>();
            for (int i = 0; i < 60; i++) {
                backends.merge(String.valueOf(HttpGet.body(lab.lab().ns("client"), VIP, 80, 2000)), 1, Integer::sum);
            }
            Map<String, Long> after = lab.packetsByDirector();
            System.out.println("bgp lab: 60 connections, backends " + backends + ", packets by director "
                    + delta(before, after));
            assertEquals(Set.of("web1", "web2", "web3"), backends.keySet(), "every answer came: " + backends);
            delta(before, after).forEach((d, n) -> assertTrue(n > 0, d + " received none: " + delta(before, after)));

            flows.open(VIP, BgpLab.ECHO_PORT, CONNECTIONS);
            Map<Integer, String> owners = flows.echo();

            // vipkeeper alone killed: its tun device goes, FRR withdraws, the router drops the nexthop.
            daemons.get(1).signal("KILL");
            long killed = millisUntil(hopsOf(2, 3), 10);
            System.out.println("bgp lab: vipkeeper SIGKILL -> router withdrawal " + killed + " ms");
            assertTrue(Lab.sh("ip", "-n", lab.lab().ns("d1"), "-o", "link", "show").indexOf("vipkeeper-bgp") < 0,
                    "the tun device went with the process");
            assertEquals(owners, flows.echo(), "every long-lived connection kept its backend");

            // Back: the director rejoins, its flows come back without breaking.
            start(1);
            System.out.println("bgp lab: restarted vipkeeper -> announced again in " + millisUntil(hopsOf(1, 2, 3), 60) + " ms");
            assertEquals(owners, flows.echo(), "every long-lived connection survived the rejoin");

            // Below quorum on d3 only (its file asks for more weight than it has): d3 withdraws.
            daemons.get(3).reload(configs.get(3), config(3, 4, true));
            System.out.println("bgp lab: below quorum -> withdrawal " + millisUntil(hopsOf(1, 2), 10) + " ms");
            assertTrue(status(3).contains("virtual server web below quorum"), status(3));
            daemons.get(3).reload(configs.get(3), config(3, 2, true));
            millisUntil(hopsOf(1, 2, 3), 10);

            // A reload that drops the bgp VIP withdraws it; another brings it back.
            daemons.get(2).reload(configs.get(2), config(2, 2, false));
            millisUntil(hopsOf(1, 3), 10);
            daemons.get(2).reload(configs.get(2), config(2, 2, true));
            millisUntil(hopsOf(1, 2, 3), 10);
            assertEquals(owners, flows.echo(), "every long-lived connection survived quorum and reload changes");

            // A backend fails its health check and returns: asked for the same flows (a probe routed
            // through each director in turn), every director picks the same backend throughout.
            DirectorChoices choices = DirectorChoices.add(lab, 60);
            Map<String, Map<Integer, String>> first = choices.round(3, 24);
            assertTrue(DirectorChoices.identical(first) && first.get("d1").containsValue("web2"), first.toString());
            String web2 = lab.lab().ns("web2");
            Lab.sh("ip", "netns", "exec", web2, "nft", "add table ip vkfail; add chain ip vkfail in { type filter hook input"
                    + " priority 0; }; add rule ip vkfail in tcp dport 80 drop");
            Map<String, Map<Integer, String>> without = choices.await(3, 24, c -> !c.containsValue("web2"), 20);
            assertTrue(DirectorChoices.settled(without, c -> !c.containsValue("web2")), "web2 failed: " + without);
            Lab.sh("ip", "netns", "exec", web2, "nft", "delete table ip vkfail");
            Map<String, Map<Integer, String>> again = choices.await(3, 24, c -> c.containsValue("web2"), 20);
            assertTrue(DirectorChoices.settled(again, c -> c.containsValue("web2")), "web2 back: " + again);
            System.out.println("bgp lab: every director's picks for 24 flows: " + first.get("d1") + "; web2 down "
                    + without.get("d1") + "; web2 back " + again.get("d1"));

            // Graceful stop: withdrawn while the daemon still runs, then it exits; the director then
            // leaves the network altogether and no connection notices.
            JarProcess d2 = daemons.get(2);
            d2.signal("TERM");
            Lab.await(10, "d2 withdrawn", () -> hops().equals(hopsOf(1, 3)));
            assertTrue(d2.isAlive(), "withdrawn before the daemon exited (withdraw-wait 1s)");
            Lab.await(30, "d2 exited", () -> !d2.isAlive());
            assertEquals(0, d2.exitValueNow(), d2.log());
            lab.lab().partition("d2", true);
            assertEquals(owners, flows.echo(), "a graceful stop lost no connection and moved none to another backend");

            // A whole director dies (link and every process): BFD on d1, the hold timer on d3.
            for (int d : new int[] {1, 3}) {
                Set<String> rest = hops();
                rest.remove(hop(d));
                lab.lab().partition("d" + d, true);
                long t0 = System.nanoTime();
                daemons.get(d).signal("KILL");
                lab.frr(d).kill();
                Lab.await(10, "d" + d + " gone from the router", () -> hops().equals(rest));
                System.out.println("bgp lab: whole director d" + d + " dead (" + (d == 1 ? "BFD 300ms x3" : "no BFD, hold 3s")
                        + ") -> router withdrawal " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
            assertFalse(Lab.sh("ip", "-n", lab.lab().ns("router"), "route", "show", VIP + "/32").contains("via"));
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }
}
