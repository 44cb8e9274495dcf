package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * use-vmac in namespaces: the VIP lives on a macvlan with the virtual MAC 00:00:5e:00:01:51, so a
 * client that resolved it once keeps reaching it across a failover without a new ARP answer (its
 * neighbour entry is pinned after the first resolution: a node that answered with its own MAC
 * would be unreachable after the failover). Against vipkeeper and against keepalived 2.2.7 with
 * use_vmac on the other node.
 */
class VmacIT extends SubnetPair {
    private static final String VMAC = "vrrp.51";
    private static final String VIRTUAL_MAC = "00:00:5e:00:01:33";

    VmacIT() {
        super("198.19.60");
    }

    @Override
    protected void moreNodes(Lab newLab) throws Exception {
        newLab.node("client", 9);
    }

    private JarProcess vipkeeper(String node, int priority) throws Exception {
        return start(node, priority, "use-vmac = true");
    }

    /** Whether node {@code name}'s vmac holds the VIP. */
    private boolean vmacHasVip(String name) {
        return linkHasVip(name, VMAC);
    }

    /** Whether link {@code link} of node {@code name} holds the VIP. */
    private boolean linkHasVip(String name, String link) {
        try {
            return Lab.sh("ip", "-n", lab.ns(name), "-o", "addr", "show", "dev", link).contains(" " + vip + "/");
        } catch (Exception e) {
            return false;
        }
    }

    private boolean clientReachesVip() {
        return lab.pings("client", vip);
    }

    /** The client's neighbour entry for the VIP ("" if none). */
    private String clientNeighbour() throws Exception {
        return Lab.sh("ip", "-n", lab.ns("client"), "neigh", "show", vip).trim();
    }

    /**
     * The client resolves the VIP (to the virtual MAC, as the master's vmac answers) and then pins
     * that entry: from here on no ARP answer can change where its packets go.
     */
    private void clientResolvesAndPins() throws Exception {
        Lab.await(10, "the client reaches the VIP", this::clientReachesVip);
        String entry = clientNeighbour();
        assertTrue(entry.contains("lladdr " + VIRTUAL_MAC), "the VIP resolves to the virtual MAC: " + entry);
        Lab.sh("ip", "-n", lab.ns("client"), "neigh", "replace", vip, "lladdr", VIRTUAL_MAC, "dev", "eth0", "nud",
                "permanent");
    }

    private String sysctl(String node, String key) throws Exception {
        return Lab.sh("ip", "netns", "exec", lab.ns(node), "sysctl", "-n", key).trim();
    }

    private boolean linkExists(String node, String link) {
        try {
            Lab.sh("ip", "-n", lab.ns(node), "link", "show", link);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void theVipKeepsItsMacAcrossAFailoverBetweenTwoVipkeepers() throws Exception {
        // A leftover of a crash: the vmac of the last run, still there. The start replaces it.
        Lab.sh("ip", "-n", lab.ns("lb1"), "link", "add", VMAC, "link", "eth0", "address", VIRTUAL_MAC, "type",
                "macvlan", "mode", "private");
        JarProcess lb1 = vipkeeper("lb1", 150);
        JarProcess lb2 = vipkeeper("lb2", 100);
        lb1.awaitLog("vi_1: BACKUP -> MASTER");
        lb1.awaitLog(VMAC + ": replacing the vmac left behind");
        lb2.awaitLog("vi_1: INITIALIZE -> BACKUP");
        Lab.await(5, "lb1's vmac holds the VIP", () -> vmacHasVip("lb1"));
        // lb2 may have been master for a moment before lb1's first advert (lb1 replaced a leftover).
        Lab.await(5, "lb2's vmac lets go of the VIP", () -> !vmacHasVip("lb2"));
        assertFalse(lab.has("lb1", vip), "the VIP is on the vmac, not on eth0");
        assertEquals("1", sysctl("lb1", "net.ipv4.conf.eth0.arp_ignore"), "eth0 must not answer for the VIP");
        assertEquals("1", sysctl("lb2", "net.ipv6.conf." + VMAC.replace('.', '/') + ".disable_ipv6"));
        clientResolvesAndPins();

        failoverAndBack(lb1, () -> lb2.awaitLog("vi_1: BACKUP -> MASTER"));

        lb2.signal("TERM");
        assertEquals(0, lb2.waitFor());
        assertFalse(linkExists("lb2", VMAC), "a stop deletes the vmac");
        assertEquals("0", sysctl("lb2", "net.ipv4.conf.eth0.arp_ignore"), "and restores eth0's arp_ignore");
        assertEquals("0", sysctl("lb2", "net.ipv4.conf.eth0.arp_filter"), "and arp_filter");
        assertEquals("0", sysctl("lb2", "net.ipv4.conf.eth0.arp_announce"), "and arp_announce");
    }

    @Test
    void keepalivedWithUseVmacAndVipkeeperShareTheVirtualMac() throws Exception {
        JarProcess vk = vipkeeper("lb1", 150);
        Keepalived ka = lab.own(Keepalived.start(lab.ns("lb2"), dir, "ka", Keepalived.instance("vi_1", 3, 51, 100,
                "0.1", vip + "/24", "use_vmac " + VMAC)));
        vk.awaitLog("vi_1: BACKUP -> MASTER");
        ka.awaitLog("Entering BACKUP STATE", 15);
        Lab.await(5, "vipkeeper's vmac holds the VIP", () -> vmacHasVip("lb1"));
        assertTrue(linkExists("lb2", VMAC), "keepalived made its vmac");
        clientResolvesAndPins();

        failoverAndBack(vk, () -> ka.awaitLog("Entering MASTER STATE", 10));
    }

    /**
     * A reload that renames the vmac restarts the instance on a new link with the same virtual MAC:
     * the old link goes first (one lower link cannot carry the MAC twice; the successor used to fail
     * with EADDRINUSE and stay in INITIALIZE), and the VIP comes back on the new link.
     */
    @Test
    void aReloadThatRenamesTheVmacMovesTheVipToTheNewLink() throws Exception {
        JarProcess lb1 = vipkeeper("lb1", 150);
        JarProcess lb2 = vipkeeper("lb2", 100);
        lb1.awaitLog("vi_1: BACKUP -> MASTER");
        lb2.awaitLog("vi_1: INITIALIZE -> BACKUP");
        Lab.await(5, "lb1's vmac holds the VIP", () -> vmacHasVip("lb1"));

        java.nio.file.Path conf = dir.resolve("lb1.conf");
        lb1.reload(conf, java.nio.file.Files.readString(conf).replace("use-vmac = true",
                "use-vmac = true\n    vmac-name = vk51"));
        lb1.awaitLog("vrrp.51: vmac renamed to vk51");
        Lab.await(30, "lb1's new vmac vk51 holds the VIP", () -> linkHasVip("lb1", "vk51"));
        assertFalse(linkExists("lb1", VMAC), "the old link is gone");
        Lab.await(10, "lb2 lets go", () -> !vmacHasVip("lb2"));
        Lab.await(10, "the client reaches the VIP", this::clientReachesVip);
        assertTrue(clientNeighbour().isEmpty() || clientNeighbour().contains(VIRTUAL_MAC), clientNeighbour());

        lb1.signal("TERM");
        assertEquals(0, lb1.waitFor());
        assertFalse(linkExists("lb1", "vk51"), "a stop deletes the renamed vmac");
        assertEquals("0", sysctl("lb1", "net.ipv4.conf.eth0.arp_ignore"), "and restores eth0's arp_ignore");
    }

    /**
     * A SIGKILL leaves the vmac and the lower link's changed ARP sysctls behind; the next start
     * replaces the vmac and its stop restores the values the operator had, which the leftover's
     * alias recorded (not the changed ones it found).
     */
    @Test
    void afterASigkillTheNextStopStillRestoresTheArpSysctls() throws Exception {
        Lab.sh("ip", "netns", "exec", lab.ns("lb1"), "sysctl", "-qw", "net.ipv4.conf.eth0.arp_announce=1");
        JarProcess first = vipkeeper("lb1", 150);
        first.awaitLog("vi_1: BACKUP -> MASTER");
        assertEquals("2", sysctl("lb1", "net.ipv4.conf.eth0.arp_announce"));
        first.signal("KILL");
        first.waitFor();
        assertTrue(linkExists("lb1", VMAC), "SIGKILL leaves the vmac");

        JarProcess second = vipkeeper("lb1", 150);
        second.awaitLog(VMAC + ": replacing the vmac left behind");
        second.awaitLog("vi_1: BACKUP -> MASTER");
        second.signal("TERM");
        assertEquals(0, second.waitFor());
        assertFalse(linkExists("lb1", VMAC));
        assertEquals("1", sysctl("lb1", "net.ipv4.conf.eth0.arp_announce"), "the operator's value, not the crash's 2");
        assertEquals("0", sysctl("lb1", "net.ipv4.conf.eth0.arp_ignore"));
    }

    /** Waits for something of a test; fails it when it does not come. */
    private interface Awaited {
        void await() throws Exception;
    }

    /**
     * lb1's cable out: lb2 becomes master ({@code lb2Master}), its vmac takes the VIP and the
     * client reaches it with the entry it pinned; the cable back: lb1 preempts (lb2 heard its
     * adverts on its vmac and lets go) and the client reaches it there, with the same entry.
     */
    private void failoverAndBack(JarProcess lb1, Awaited lb2Master) throws Exception {
        lab.cable("lb1", false);
        lb2Master.await();
        Lab.await(5, "lb2's vmac holds the VIP", () -> vmacHasVip("lb2"));
        Lab.await(5, "the client reaches the VIP at lb2 with the entry it had", this::clientReachesVip);

        lab.cable("lb1", true);
        lb1.awaitLog("vi_1: BACKUP -> MASTER (preempt)");
        Lab.await(5, "lb2 lets go", () -> !vmacHasVip("lb2"));
        Lab.await(5, "the client reaches the VIP at lb1 again", this::clientReachesVip);
    }
}
