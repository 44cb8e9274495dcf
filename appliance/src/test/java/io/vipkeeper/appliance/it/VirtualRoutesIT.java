package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Virtual routes and rules in namespaces (issue 18, keepalived's virtual_routes/virtual_rules): the
 * MASTER has each route and rule exactly as {@code ip route show table T}, {@code ip -6 route} and
 * {@code ip rule} print them, the BACKUP none; a route and a rule deleted by hand on the MASTER are
 * put back; a reload that adds one route and drops another changes only those two; a failover
 * moves them all; a stop removes them all.
 */
class VirtualRoutesIT extends SubnetPair {
    private static final String GW = "198.18.104.254";

    VirtualRoutesIT() {
        super("198.18.104");
    }

    /** The instance's routes and rules, {@code dropped} left out and {@code added} appended. */
    private String extra(String dropped, String added) {
        List<String> routes = new ArrayList<>(List.of(
                "{ to = \"198.18.105.0/24\", via = \"" + GW + "\", table = 100 }",
                "{ to = \"198.18.106.0/24\", via = \"" + GW + "\", src = \"" + vip + "\" }",
                "{ to = default, via = \"" + GW + "\", table = 101, metric = 5 }",
                "{ to = \"198.18.107.0/24\", type = blackhole, table = 100 }",
                "{ to = \"2001:db8:104:1::/64\", type = unreachable, table = 100 }",
                "{ to = \"198.18.105.128/25\", interface = eth0, scope = link, proto = static, table = 100 }"));
        routes.remove(dropped);
        if (added != null) {
            routes.add(added);
        }
        return """
                virtual-routes = [
                  %s
                ]
                virtual-rules = [
                  { from = "%s/32", table = 100, priority = 1000 }
                  { fwmark = "0x10/0xff", table = 101, priority = 1001 }
                  { to = "198.18.107.0/24", iif = eth0, table = 100, priority = 1002 }
                  { from = "2001:db8:104::/48", table = 100, priority = 1003 }
                  { to = "198.18.106.0/24", type = prohibit, priority = 1004 }
                ]
                """.formatted(String.join("\n  ", routes), vip);
    }

    private static final String EXTRA_ROUTE = "{ to = \"198.18.104.128/25\", type = prohibit, table = 100 }";
    private static final String LINK_ROUTE =
            "{ to = \"198.18.105.128/25\", interface = eth0, scope = link, proto = static, table = 100 }";

    /** What the master of {@link #extra} must show, as ip prints it, one line per entry. */
    private List<String> expected(boolean reloaded) {
        List<String> lines = new ArrayList<>(List.of(
                "route 100: 198.18.105.0/24 via " + GW + " dev eth0 proto keepalived",
                "route 100: blackhole 198.18.107.0/24 proto keepalived",
                "route main: 198.18.106.0/24 via " + GW + " dev eth0 proto keepalived src " + vip,
                "route 101: default via " + GW + " dev eth0 proto keepalived metric 5",
                "route6 100: unreachable 2001:db8:104:1::/64 dev lo proto keepalived metric 1024 pref medium",
                "rule: 1000:\tfrom " + vip + " lookup 100 proto keepalived",
                "rule: 1001:\tfrom all fwmark 0x10/0xff lookup 101 proto keepalived",
                "rule: 1002:\tfrom all to 198.18.107.0/24 iif eth0 lookup 100 proto keepalived",
                "rule: 1004:\tfrom all to 198.18.106.0/24 prohibit proto keepalived",
                "rule6: 1003:\tfrom 2001:db8:104::/48 lookup 100 proto keepalived"));
        lines.add(reloaded ? "route 100: prohibit 198.18.104.128/25 proto keepalived"
                : "route 100: 198.18.105.128/25 dev eth0 proto static scope link");
        return lines.stream().sorted().toList();
    }

    /** The node's entries of this test's tables and rule priorities, as ip prints them. */
    private List<String> entries(String node) {
        try {
            String ns = lab.ns(node);
            List<String> out = new ArrayList<>();
            for (String table : List.of("100", "101")) {
                table(ns, "-4", table).lines().forEach(l -> out.add("route " + table + ": " + l.trim()));
                table(ns, "-6", table).lines()
                        .forEach(l -> out.add("route6 " + table + ": " + l.trim()));
            }
            Lab.sh("ip", "-n", ns, "route", "show", "table", "main").lines().filter(l -> l.startsWith("198.18.106."))
                    .forEach(l -> out.add("route main: " + l.trim()));
            Lab.sh("ip", "-n", ns, "rule", "show").lines().filter(l -> l.matches("100\\d:.*"))
                    .forEach(l -> out.add("rule: " + l.trim()));
            Lab.sh("ip", "-n", ns, "-6", "rule", "show").lines().filter(l -> l.matches("100\\d:.*"))
                    .forEach(l -> out.add("rule6: " + l.trim()));
            return out.stream().sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ip route show table} of one family; "" when the kernel has no such table (yet, or any more). */
    private static String table(String ns, String family, String table) throws Exception {
        try {
            return Lab.sh("ip", "-n", ns, family, "route", "show", "table", table);
        } catch (java.io.IOException e) {
            if (e.getMessage().contains("FIB table does not exist")) {
                return "";
            }
            throw e;
        }
    }

    private void awaitEntries(String node, List<String> want) throws InterruptedException {
        try {
            Lab.await(10, node + " has exactly " + want, () -> entries(node).equals(want));
        } catch (AssertionError e) {
            assertEquals(want, entries(node), node);
        }
    }

    @Test
    void routesAndRulesFollowTheMasterAndArePutBackReloadedAndRemoved() throws Exception {
        JarProcess lb1 = start("lb1", 150, extra(null, null));
        lb1.awaitLog("BACKUP -> MASTER");
        JarProcess lb2 = start("lb2", 100, extra(null, null));
        lb2.awaitLog("INITIALIZE -> BACKUP");
        awaitEntries("lb1", expected(false));
        assertEquals(List.of(), entries("lb2"), "the BACKUP holds none");

        // Deleted by hand on the MASTER: put back (as VIPs are), without leaving MASTER.
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "del", "198.18.105.0/24", "table", "100");
        Lab.sh("ip", "-n", lab.ns("lb1"), "rule", "del", "priority", "1001");
        Lab.sh("ip", "-n", lab.ns("lb1"), "-6", "route", "del", "unreachable", "2001:db8:104:1::/64", "table", "100");
        lb1.awaitLog("removed while MASTER");
        awaitEntries("lb1", expected(false));
        assertEquals(0, lb1.logCount("MASTER -> BACKUP"));

        // A reload that drops one route and adds another touches only those two.
        Path conf = dir.resolve("lb1.conf");
        VrrpPairConfig.write(dir, "lb1", 150, vip, extra(LINK_ROUTE, EXTRA_ROUTE));
        lb1.signal("HUP");
        lb1.awaitLog("reload succeeded");
        awaitEntries("lb1", expected(true));
        lb1.awaitLog("virtual routes and rules in place: 1 of 11 added now");
        lb1.awaitLog("virtual routes and rules removed: 1");
        assertTrue(Files.readString(conf).contains("198.18.104.128/25"));
        // The put-backs and the reload's claim found the other entries in place (EEXIST, known
        // to be ours): none of it was taken for a refusal.
        assertEquals(0, lb1.logCount("the kernel refused"), lb1.log());

        // Failover: lb2 outranks lb1 after its own reload; every entry moves.
        VrrpPairConfig.write(dir, "lb2", 200, vip, extra(null, null));
        lb2.signal("HUP");
        lb2.awaitLog("reload succeeded");
        lb1.awaitLog("MASTER -> BACKUP");
        awaitEntries("lb2", expected(false));
        awaitEntries("lb1", List.of());

        // Stop removes them all (lb1 takes over and installs its own; its stop removes those).
        lb2.signal("TERM");
        assertEquals(0, lb2.waitFor());
        assertEquals(List.of(), entries("lb2"), "stop removes every route and rule");
        lb1.awaitLog("BACKUP -> MASTER", 2);
        awaitEntries("lb1", expected(true));
        lb1.signal("TERM");
        assertEquals(0, lb1.waitFor());
        assertEquals(List.of(), entries("lb1"), "stop removes every route and rule");
    }

    /** The same routes and rules as {@link #extra}, as a keepalived.conf writes them. */
    private String keepalivedLines() {
        return """
                virtual_routes {
                    198.18.105.0/24 via %1$s table 100
                    src %2$s to 198.18.106.0/24 via %1$s
                    default via %1$s table 101 metric 5
                    blackhole 198.18.107.0/24 table 100
                    198.18.105.128/25 dev eth0 scope link protocol static table 100
                  }
                  virtual_rules {
                    from %2$s/32 table 100 priority 1000
                    fwmark 0x10/0xff table 101 priority 1001
                    to 198.18.107.0/24 iif eth0 table 100 priority 1002
                    from 2001:db8:104::/48 table 100 priority 1003
                    to 198.18.106.0/24 prohibit priority 1004
                  }
                """.formatted(GW, vip);
    }

    /**
     * {@link #expected} without the IPv6 route: keepalived 2.2.7 fails to add an IPv6 unreachable
     * route with no dev (ENODEV: "New route doesn't have i/f index"), which the kernel takes from
     * ip route and vipkeeper alike; and with proto keepalived on the route with a dev, whose
     * protocol keepalived resets to track it (the import says so and does the same).
     */
    private List<String> withoutRoute6() {
        return expected(false).stream().filter(l -> !l.startsWith("route6"))
                .map(l -> l.replace("proto static", "proto keepalived")).sorted().toList();
    }

    /**
     * keepalived itself (Debian's) as MASTER with its own file, and vipkeeper as MASTER with the
     * import of that file, leave the same {@code ip route} / {@code ip rule} output.
     */
    @Test
    void keepalivedAndTheImportOfItsFileInstallTheSameRoutesAndRules() throws Exception {
        String instances = Keepalived.instance("vi_1", 3, 51, 150, "0.1", vip + "/24", keepalivedLines());
        Keepalived ka = lab.own(Keepalived.start(lab.ns("lb1"), dir, "ka", instances));
        try {
            Lab.await(15, "keepalived installs every route and rule", () -> entries("lb1").size() == withoutRoute6().size());
        } catch (AssertionError e) {
            throw new AssertionError(entries("lb1") + "\n" + ka.log(), e);
        }
        List<String> fromKeepalived = entries("lb1");
        ka.stop();
        Lab.await(10, "keepalived removes them at stop", () -> entries("lb1").isEmpty());

        Path original = dir.resolve("ka-keepalived.conf");
        Path imported = dir.resolve("imported.conf");
        JarProcess imp = JarProcess.start(dir, "import-keepalived", original.toString(), "-o", imported.toString());
        assertEquals(0, imp.waitFor(), imp.err());
        Files.writeString(imported, Files.readString(imported) + "\nvipkeeper.api.listen = \"\"\n");
        JarProcess vk = lab.own(JarProcess.startIn(lab.ns("lb2"), dir, "run", "-f", imported.toString()));
        vk.awaitLog("BACKUP -> MASTER");
        awaitEntries("lb2", fromKeepalived);
        assertEquals(withoutRoute6(), fromKeepalived, "keepalived's own output is the one the first test expects");
    }

    /**
     * A route the kernel refuses (its gateway is on no link) is logged once with the kernel's
     * reason (its errno), also across repairs, counted in /metrics, and the instance stays MASTER
     * with its other routes.
     */
    @Test
    void aRouteTheKernelRefusesIsLoggedOnceAndTheInstanceStaysMaster() throws Exception {
        // The host's own route (table 103, which entries() leaves out) where the third one goes:
        // same table, destination and metric, another gateway. The kernel answers EEXIST, which
        // must not read as "in place".
        String host = "198.18.108.0/24 via 198.18.104.253 dev eth0";
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "add", "198.18.108.0/24", "via", "198.18.104.253", "table", "103");
        // And the first route as the host's own (proto boot, so the BACKUP's release at start,
        // whose delete names proto keepalived, leaves it): EEXIST, looked up in a dump, found to
        // be this very route: in place, not refused.
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "add", "198.18.105.0/24", "via", GW, "table", "100");
        JarProcess lb1 = startLb1WithApi("", """
                virtual-routes = [
                  { to = "198.18.105.0/24", via = "%s", table = 100 }
                  { to = "198.18.106.0/24", via = "198.18.107.1", table = 100 }
                  { to = "198.18.108.0/24", via = "%s", table = 103 }
                ]
                """.formatted(GW, GW));
        lb1.awaitLog("BACKUP -> MASTER");
        String refused = "the kernel refused adding route 198.18.106.0/24 via 198.18.107.1 table 100";
        lb1.awaitLog(refused);
        awaitEntries("lb1", List.of("route 100: 198.18.105.0/24 via " + GW + " dev eth0"));
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "del", "198.18.105.0/24", "table", "100");
        lb1.awaitLog("removed while MASTER");
        awaitEntries("lb1", List.of("route 100: 198.18.105.0/24 via " + GW + " dev eth0 proto keepalived"));
        // Ours replaced in place by hand (no deletion event): taken, said once, left alone; put
        // back when the replacement goes.
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "replace", "198.18.105.0/24", "via", "198.18.104.253", "table", "100");
        String replaced = "route 198.18.105.0/24 via " + GW + " table 100 was replaced by another route";
        lb1.awaitLog(replaced);
        awaitEntries("lb1", List.of("route 100: 198.18.105.0/24 via 198.18.104.253 dev eth0"));
        // Replaced back by exactly ours: in place again (not refused at every later repair).
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "replace", "198.18.105.0/24", "via", GW, "table", "100");
        lb1.awaitLog("route 198.18.105.0/24 via " + GW + " table 100 is in place again");
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "replace", "198.18.105.0/24", "via", "198.18.104.253", "table", "100");
        lb1.awaitLog(replaced, 2);
        Lab.sh("ip", "-n", lab.ns("lb1"), "route", "del", "198.18.105.0/24", "table", "100");
        awaitEntries("lb1", List.of("route 100: 198.18.105.0/24 via " + GW + " dev eth0 proto keepalived"));
        assertEquals(2, lb1.logCount(replaced), lb1.log());
        assertEquals(1, lb1.logCount(refused), lb1.log());
        assertTrue(lb1.log().matches("(?s).*" + refused + ": E[A-Z]+ .*"), "with the kernel's reason");
        assertEquals(0, lb1.logCount("MASTER -> "), "the refusal does not take the instance out of MASTER");
        double counted = new LabApi(lab).metrics("lb1", 1).value("vipkeeper_vrrp_route_refusals_total");
        assertTrue(counted >= 2, "each refused attempt is counted (the claim's and the repair's): " + counted);
        String taken = "the kernel refused adding route 198.18.108.0/24 via " + GW
                + " table 103 (another route with its table, destination and metric is there): EEXIST";
        assertEquals(1, lb1.logCount(taken), lb1.log());
        assertEquals(0, lb1.logCount("the kernel refused adding route 198.18.105.0/24"), lb1.log());
        assertTrue(counted >= 6, "the taken place counted at the claim and the repair too, each replacement once: "
                + counted);
        // The host's route stays as it was, also after the stop (whose removal names our gateway).
        lb1.signal("TERM");
        assertEquals(0, lb1.waitFor());
        assertTrue(table(lab.ns("lb1"), "-4", "103").contains(host), table(lab.ns("lb1"), "-4", "103"));
    }

    /**
     * A route through another link than the instance's: the kernel drops it when that link goes
     * down (and refuses it back while it is down); when the link is up again the master puts it
     * back (operator review: it stayed missing, the instance MASTER and healthy).
     */
    @Test
    void aRouteThroughALinkThatFlappedComesBackWhenTheLinkDoes() throws Exception {
        String ns = lab.ns("lb1");
        Lab.sh("ip", "-n", ns, "link", "add", "up1", "type", "veth", "peer", "name", "up1p");
        Lab.sh("ip", "-n", ns, "link", "set", "up1p", "up");
        Lab.sh("ip", "-n", ns, "link", "set", "up1", "up");
        Lab.sh("ip", "-n", ns, "addr", "add", "198.18.106.1/24", "dev", "up1");
        JarProcess lb1 = start("lb1", 150, "virtual-routes = [{ to = \"198.18.107.0/24\", via = \"198.18.106.254\","
                + " interface = up1, table = 102 }]");
        lb1.awaitLog("BACKUP -> MASTER");
        String route = "198.18.107.0/24 via 198.18.106.254 dev up1 proto keepalived";
        Lab.await(30, "the route in place", () -> table102(ns).contains(route));
        Lab.sh("ip", "-n", ns, "link", "set", "up1", "down");
        Lab.await(30, "the kernel dropped it with the link", () -> !table102(ns).contains(route));
        Lab.sh("ip", "-n", ns, "link", "set", "up1", "up");
        Lab.await(30, "the route back with the link", () -> table102(ns).contains(route));
        assertEquals(0, lb1.logCount("MASTER -> "), lb1.log());
    }

    private static String table102(String ns) {
        try {
            return table(ns, "-4", "102");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
