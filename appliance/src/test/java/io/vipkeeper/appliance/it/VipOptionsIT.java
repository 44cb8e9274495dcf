package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived's per-address options and excluded addresses in namespaces: the MASTER puts its
 * virtual IPs and excluded addresses (both families in one instance) on the interfaces they name,
 * with the scope, label and broadcast address they name, as {@code ip -o addr} shows them, puts an
 * excluded one removed by hand back, and the node that turns BACKUP removes every one.
 */
class VipOptionsIT extends SubnetPair {
    /** On eth1, link scope, a label and a broadcast address of its own. */
    private static final String LINKED = "198.19.122.100";
    /** Excluded, on eth1, host scope, vipkeeper's own label. */
    private static final String HOST = "198.19.123.100";
    /** Excluded, IPv6 (benchmarking range, RFC 5180) in this IPv4 instance. */
    private static final String V6 = "2001:2::121";

    VipOptionsIT() {
        super("198.19.121");
    }

    private String extra() {
        return """
                virtual-ips = ["%s/24", { address = "%s/24", interface = eth1, scope = link, label = "eth1:web",
                  broadcast = "198.19.122.255" }]
                excluded-ips = ["%s/64", { address = "%s/32", interface = eth1, scope = host }]
                """.formatted(vip, LINKED, V6, HOST);
    }

    /** {@code ip -o addr} of node {@code name}: one line per address. */
    private List<String> addresses(String name) {
        try {
            return Lab.sh("ip", "-n", lab.ns(name), "-o", "addr", "show").lines().toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line of {@code address} on {@code dev} ("" if it is not there). */
    private String line(String name, String dev, String address) {
        return addresses(name).stream().filter(l -> l.matches("\\d+: " + dev + "\\s+inet6? " + address + "/.*"))
                .findFirst().orElse("");
    }

    private boolean holdsAll(String name) {
        return !line(name, "eth0", vip).isEmpty() && !line(name, "eth1", LINKED).isEmpty()
                && !line(name, "eth1", HOST).isEmpty() && !line(name, "eth0", V6).isEmpty();
    }

    private boolean holdsNone(String name) {
        return line(name, "eth0", vip).isEmpty() && line(name, "eth1", LINKED).isEmpty()
                && line(name, "eth1", HOST).isEmpty() && line(name, "eth0", V6).isEmpty();
    }

    private void assertAttributes(String name) {
        String all = String.join("\n", addresses(name));
        assertTrue(line(name, "eth0", vip).matches(".*inet " + vip + "/24 scope global secondary eth0:vk\\\\.*"), all);
        assertTrue(line(name, "eth1", LINKED).matches(".*inet " + LINKED
                + "/24 brd 198\\.19\\.122\\.255 scope link eth1:web\\\\.*"), all);
        assertTrue(line(name, "eth1", HOST).matches(".*inet " + HOST + "/32 scope host eth1:vk\\\\.*"), all);
        assertTrue(line(name, "eth0", V6).matches(".*inet6 " + V6 + "/64 scope global .*"), all);
    }

    @Test
    void theMasterPutsEveryAddressWithItsOptionsAndTheBackupRemovesThem() throws Exception {
        for (String node : List.of("lb1", "lb2")) {
            // A second link of the node's own (veth: this host's kernel has no dummy links).
            Lab.sh("ip", "-n", lab.ns(node), "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
            Lab.sh("ip", "-n", lab.ns(node), "link", "set", "eth1p", "up");
            Lab.sh("ip", "-n", lab.ns(node), "link", "set", "eth1", "up");
        }
        JarProcess lb1 = start("lb1", 150, extra());
        lb1.awaitLog("BACKUP -> MASTER");
        JarProcess lb2 = start("lb2", 100, extra());
        lb2.awaitLog("INITIALIZE -> BACKUP");
        Lab.await(10, "lb1 holds every address", () -> holdsAll("lb1"));
        assertAttributes("lb1");
        assertTrue(holdsNone("lb2"), String.join("\n", addresses("lb2")));

        // A master holds its excluded addresses as it holds its VIPs: removed by hand, put back.
        Lab.sh("ip", "-n", lab.ns("lb1"), "addr", "del", V6 + "/64", "dev", "eth0");
        Lab.sh("ip", "-n", lab.ns("lb1"), "addr", "del", HOST + "/32", "dev", "eth1");
        lb1.awaitLog(HOST + " was removed from the interface while MASTER");
        Lab.await(10, "lb1 puts its excluded addresses back", () -> holdsAll("lb1"));
        assertAttributes("lb1");

        // lb2 outranks lb1 after a reload: lb1 turns BACKUP and takes every address away.
        VrrpPairConfig.write(dir, "lb2", 200, vip, extra());
        lb2.signal("HUP");
        lb2.awaitLog("reload succeeded");
        lb1.awaitLog("MASTER -> BACKUP");
        Lab.await(10, "lb2 holds every address", () -> holdsAll("lb2"));
        Lab.await(10, "lb1 holds none", () -> holdsNone("lb1"));
        assertAttributes("lb2");
        assertEquals(1, lb1.logCount("MASTER -> BACKUP"));
    }

    /**
     * An address on an interface this node lacks: the daemon refuses to start with it at its line
     * (it used to exit with an exception at start, and a reload that added it left the instance
     * half-replaced, still advertising, its VIP left behind at stop: breaker review); a reload that
     * adds it is refused and the running config kept.
     */
    @Test
    void anAddressOnAnInterfaceTheNodeLacksIsRefusedAtStartAndAtReload() throws Exception {
        String missing = "excluded-ips = [{ address = \"" + HOST + "/32\", interface = nosuch0 }]";
        JarProcess refused = start("lb1", 150, missing);
        assertNotEquals(0, refused.waitFor());
        assertTrue(refused.log().contains("excluded-ips[0]: this host has no interface nosuch0 to put " + HOST + "/32 on"),
                refused.log());

        JarProcess lb1 = start("lb1", 150, "");
        lb1.awaitLog("BACKUP -> MASTER");
        java.nio.file.Path conf = dir.resolve("lb1.conf");
        String before = java.nio.file.Files.readString(conf);
        java.nio.file.Files.writeString(conf, before.replace("advert-interval = 100ms", "advert-interval = 100ms\n    " + missing));
        lb1.signal("HUP");
        lb1.awaitLog("still running the previous config");
        assertTrue(lab.has("lb1", vip), "the VIP stays with the running config");
        lb1.signal("TERM");
        assertEquals(0, lb1.waitFor());
        assertFalse(lab.has("lb1", vip), "and goes at stop");
    }
}
