package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * use-vmac on an IPv6 instance in namespaces: the vmac has the IPv6 virtual MAC
 * 00:00:5e:00:02:VRID, no address generated from it, and the lower link's link-local, from which
 * the adverts go (RFC 5798 §5.1.2.1) with the virtual MAC as their frames' source; the VIP's
 * unsolicited NAs come from the vmac, and a client that resolved the VIP to the virtual MAC keeps
 * reaching it across failovers with that entry pinned. Against vipkeeper and against keepalived
 * 2.2.7 with use_vmac (which sets up its vmac the same way: checked here on the same node).
 */
class Vmac6IT extends SubnetPair {
    private static final int VRID = 108;
    private static final String VMAC = "vrrp." + VRID;
    private static final String VIRTUAL_MAC = "00:00:5e:00:02:6c";
    /** The link-local the kernel would generate from the virtual MAC (EUI-64): both nodes' would be this one. */
    private static final String VIRTUAL_MAC_LINK_LOCAL = "fe80::200:5eff:fe00:26c";
    private static final String VIP6 = "2001:db8:108::100";
    private static final String CLIENT6 = "2001:db8:108::9";
    private static final Pattern INET6 = Pattern.compile("inet6 ([0-9a-f:]+)/(\\d+)");

    private Process capture;
    private Path captured;

    Vmac6IT() {
        super("198.18.108");
    }

    @Override
    protected void moreNodes(Lab newLab) throws Exception {
        newLab.node("client", 9);
        Lab.sh("ip", "-n", newLab.ns("client"), "addr", "add", CLIENT6 + "/64", "dev", "eth0", "nodad");
    }

    private JarProcess vipkeeper(String node, int priority) throws Exception {
        Path conf = dir.resolve(node + ".conf");
        Files.writeString(conf, """
                vipkeeper {
                  node-name = %s
                  api.listen = ""
                  vrrp.instances.vi_6 {
                    interface = eth0
                    virtual-router-id = %d
                    priority = %d
                    advert-interval = 100ms
                    virtual-ips = ["%s/64"]
                    use-vmac = true
                  }
                }
                """.formatted(node, VRID, priority, VIP6));
        return lab.own(JarProcess.startIn(lab.ns(node), dir, "run", "-f", conf.toString()));
    }

    /** tcpdump in the client of adverts and ICMPv6 (ND), link-layer headers shown, no timestamps. */
    private void startCapture() throws Exception {
        captured = dir.resolve("client.txt");
        capture = new ProcessBuilder("ip", "netns", "exec", lab.ns("client"), "tcpdump", "--immediate-mode", "-l",
                "-t", "-n", "-e", "-i", "eth0", "ip6 proto 112 or icmp6").redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(captured.toFile()).start();
        Process p = capture;
        lab.own(p::destroy);
        // tcpdump prints nothing before it listens; the first adverts are waited for by each test.
        Thread.sleep(300);
    }

    private List<String> capturedLines() throws Exception {
        return Files.readAllLines(captured);
    }

    /** The node's adverts in the capture: VRID, from the virtual MAC and its link-local, to ff02::12. */
    private boolean sawAdvert(String linkLocal, int priority) {
        try {
            return capturedLines().stream().anyMatch(l -> l.startsWith(VIRTUAL_MAC + " > 33:33:00:00:00:12,")
                    && l.contains(": " + linkLocal + " > ff02::12: VRRPv3, Advertisement, vrid " + VRID + ", prio "
                            + priority + ","));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for an advert {@link #sawAdvert}; fails with what the capture holds. */
    private void awaitAdvert(String linkLocal, int priority) throws Exception {
        try {
            Lab.await(5, "an advert of priority " + priority + " from the virtual MAC and " + linkLocal,
                    () -> sawAdvert(linkLocal, priority));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ", captured:\n" + String.join("\n",
                    capturedLines().subList(0, Math.min(40, capturedLines().size()))), e);
        }
    }

    /** Every IPv6 address of {@code link} on {@code node}, as ADDRESS/PREFIX. */
    private List<String> inet6(String node, String link) throws Exception {
        Matcher m = INET6.matcher(Lab.sh("ip", "-n", lab.ns(node), "-6", "-o", "addr", "show", "dev", link));
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + "/" + m.group(2));
        }
        return out;
    }

    /** The node's eth0 link-local address (no prefix). */
    private String linkLocal(String node) throws Exception {
        return inet6(node, "eth0").stream().filter(a -> a.startsWith("fe80:")).findFirst()
                .orElseThrow(() -> new AssertionError(node + "'s eth0 has no link-local")).replaceAll("/.*", "");
    }

    private boolean vmacHasVip(String node) {
        try {
            return inet6(node, VMAC).contains(VIP6 + "/64");
        } catch (Exception e) {
            return false;
        }
    }

    private String mac(String node, String link) throws Exception {
        return Lab.sh("ip", "-n", lab.ns(node), "-o", "link", "show", link).replaceAll("(?s).*link/ether ([0-9a-f:]+).*",
                "$1").strip();
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

    /**
     * The vmac of {@code node} as keepalived 2.2.7 sets one up for IPv6: the virtual MAC, IPv6 on,
     * addr_gen_mode none, the lower link's link-local (and none from the virtual MAC), plus the
     * VIP when it is master; eth0 keeps the VIP away and its own address.
     */
    private void assertVmacSetUp(String node, boolean master) throws Exception {
        assertEquals(VIRTUAL_MAC, mac(node, VMAC), node);
        List<String> expected = master ? List.of(VIP6 + "/64", linkLocal(node) + "/64")
                : List.of(linkLocal(node) + "/64");
        List<String> have = inet6(node, VMAC);
        assertFalse(have.contains(VIRTUAL_MAC_LINK_LOCAL + "/64"), node + ": a link-local from the virtual MAC");
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(have), node + "'s vmac addresses");
        String vmacConf = "net.ipv6.conf." + VMAC.replace('.', '/') + ".";
        assertEquals("0", sysctl(node, vmacConf + "disable_ipv6"), node);
        assertEquals("1", sysctl(node, vmacConf + "addr_gen_mode"), node + ": no address generated from the MAC");
        assertFalse(inet6(node, "eth0").contains(VIP6 + "/64"), "the VIP is on the vmac, not on eth0");
    }

    /**
     * The client resolves the VIP (the master's vmac answers with the virtual MAC) and pins that
     * entry: from here on no NA can change where its packets go.
     */
    private void clientResolvesAndPins() throws Exception {
        Lab.await(10, "the client reaches the VIP", () -> lab.pings("client", VIP6));
        String entry = Lab.sh("ip", "-n", lab.ns("client"), "-6", "neigh", "show", VIP6).trim();
        assertTrue(entry.contains("lladdr " + VIRTUAL_MAC), "the VIP resolves to the virtual MAC: " + entry);
        Lab.sh("ip", "-n", lab.ns("client"), "-6", "neigh", "replace", VIP6, "lladdr", VIRTUAL_MAC, "dev", "eth0",
                "nud", "permanent");
    }

    @Test
    void theVipKeepsItsMacAcrossAFailoverBetweenTwoVipkeepers() throws Exception {
        // A leftover of a crash (SIGKILL): the vmac of the last run, still there. The start replaces it.
        Lab.sh("ip", "-n", lab.ns("lb1"), "link", "add", VMAC, "link", "eth0", "address", VIRTUAL_MAC, "type",
                "macvlan", "mode", "private");
        startCapture();
        JarProcess lb1 = vipkeeper("lb1", 150);
        JarProcess lb2 = vipkeeper("lb2", 100);
        lb1.awaitLog("vi_6: BACKUP -> MASTER");
        lb1.awaitLog(VMAC + ": replacing the vmac left behind");
        lb2.awaitLog("vi_6: INITIALIZE -> BACKUP");
        Lab.await(5, "lb1's vmac holds the VIP", () -> vmacHasVip("lb1"));
        // lb2 may have been master for a moment before lb1's first advert (a JVM starts slowly).
        Lab.await(5, "lb2's vmac lets go of the VIP", () -> !vmacHasVip("lb2"));
        assertVmacSetUp("lb1", true);
        assertVmacSetUp("lb2", false);
        assertEquals("0", sysctl("lb1", "net.ipv4.conf.eth0.arp_ignore"), "an IPv6 vmac leaves eth0's ARP alone");
        String lb1Ll = linkLocal("lb1");
        awaitAdvert(lb1Ll, 150);
        Lab.await(5, "lb1's unsolicited NA for the VIP from the virtual MAC", () -> {
            try {
                return capturedLines().stream().anyMatch(l -> l.startsWith(VIRTUAL_MAC + " > 33:33:00:00:00:01,")
                        && l.contains("neighbor advertisement, tgt is " + VIP6));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        clientResolvesAndPins();

        failoverAndBack(lb1, () -> lb2.awaitLog("vi_6: BACKUP -> MASTER"));
        String lb2Ll = linkLocal("lb2");
        awaitAdvert(lb2Ll, 100);
        assertTrue(capturedLines().stream().filter(l -> l.contains("VRRPv3"))
                .allMatch(l -> l.startsWith(VIRTUAL_MAC + " ") && (l.contains(": " + lb1Ll + " > ")
                        || l.contains(": " + lb2Ll + " > "))), "every advert from a vmac and a node's link-local");

        lb2.signal("TERM");
        assertEquals(0, lb2.waitFor());
        assertFalse(linkExists("lb2", VMAC), "a stop deletes the vmac");
        lb1.signal("TERM");
        assertEquals(0, lb1.waitFor());
        assertFalse(linkExists("lb1", VMAC), "a stop deletes the vmac");
        assertEquals(List.of(lb1Ll + "/64"), inet6("lb1", "eth0"), "eth0 as it was");
    }

    @Test
    void keepalivedWithUseVmacAndVipkeeperAgreeOnIpv6() throws Exception {
        startCapture();
        JarProcess vk = vipkeeper("lb1", 150);
        Keepalived ka = lab.own(Keepalived.start(lab.ns("lb2"), dir, "ka", Keepalived.instance("vi_6", 3, VRID, 100,
                "0.1", VIP6 + "/64", "use_vmac " + VMAC)));
        vk.awaitLog("vi_6: BACKUP -> MASTER");
        ka.awaitLog("Entering BACKUP STATE", 15);
        Lab.await(5, "vipkeeper's vmac holds the VIP", () -> vmacHasVip("lb1"));
        // keepalived starts at once and may be master until vipkeeper's first advert.
        Lab.await(5, "keepalived's vmac lets go of the VIP", () -> !vmacHasVip("lb2"));
        assertVmacSetUp("lb1", true);
        // keepalived 2.2.7's own vmac, as vipkeeper's is set up.
        Lab.await(5, "keepalived's vmac has its link-local", () -> {
            try {
                return linkExists("lb2", VMAC) && !inet6("lb2", VMAC).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertVmacSetUp("lb2", false);
        clientResolvesAndPins();

        failoverAndBack(vk, () -> ka.awaitLog("Entering MASTER STATE", 10));
        awaitAdvert(linkLocal("lb1"), 150);
        // keepalived's adverts as master, from its vmac and the link-local it gave it.
        awaitAdvert(linkLocal("lb2"), 100);
        assertFalse(vmacHasVip("lb2"));
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
        Lab.await(5, "the client reaches the VIP at lb2 with the entry it had", () -> lab.pings("client", VIP6));

        lab.cable("lb1", true);
        lb1.awaitLog("vi_6: BACKUP -> MASTER (preempt)");
        Lab.await(5, "lb2 lets go", () -> !vmacHasVip("lb2"));
        Lab.await(5, "the client reaches the VIP at lb1 again", () -> lab.pings("client", VIP6));
    }
}
