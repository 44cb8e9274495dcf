package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * bgp mode on the real IPVS: the routers may move a flow to a director mid-connection, which IPVS
 * takes up only with {@code net.ipv4.vs.sloppy_tcp} and {@code sloppy_sctp} at 1. A daemon with bgp
 * VIPs raises both in its own namespace at start, puts them back when lowered, and leaves them at 1
 * when it stops; one in vrrp mode leaves them at the kernel's 0 until a reload brings bgp VIPs.
 * Both daemons start at once (JVM starts are slow under TCG).
 */
@Tag(VmSuite.TAG)
class IpvsBgpSloppyVmTest {
    private static final String SUBNET = "198.19.80";
    private static final String BGP_VIP = SUBNET + ".200";

    /** Bgp VIPs when {@code bgp}, and a VRRP instance (for another VIP) when {@code vrrp}. */
    private static String config(boolean bgp, boolean vrrp) {
        String instance = !vrrp ? "" : """
                  vrrp.instances.site {
                    interface = eth0
                    virtual-router-id = 80
                    priority = 150
                    advert-interval = 1s
                    virtual-ips = ["%s.100/24"]
                  }
                """.formatted(SUBNET);
        return """
                vipkeeper {
                  data-plane = ipvs
                  api.listen = ""
                %4$s  bgp { vips = [%2$s], withdraw-wait = 0s }
                  ipvs {
                    reconcile-interval = 500ms
                    virtual-servers.web {
                      address = "%3$s"
                      port = 80
                      scheduler = mh
                      forwarding = dr
                      health-check.type = none
                      real-servers = [{ address = "%1$s.11" }]
                    }
                  }
                }
                """.formatted(SUBNET, bgp ? "\"" + BGP_VIP + "\"" : "", BGP_VIP, instance);
    }

    @Test
    void bgpModeRaisesSloppyTcpAndSctpInItsNamespaceAndVrrpModeDoesNot() throws Exception {
        try (Lab lab = Lab.create(SUBNET)) {
            Path dir = Files.createTempDirectory("vk-sloppy");
            lab.node("bgp", 1);
            lab.node("vrrp", 2);
            for (String node : new String[] {"bgp", "vrrp"}) {
                // A new namespace starts at the kernel's default (once ip_vs is loaded, which the suite's earlier tests did).
                assertEquals("0", sloppy(lab, node, "tcp"), "the kernel's default in a new namespace");
            }
            Path bgpConf = dir.resolve("bgp.conf");
            Files.writeString(bgpConf, config(true, false));
            Path vrrpConf = dir.resolve("vrrp.conf");
            Files.writeString(vrrpConf, config(false, true));
            JarProcess bgp = lab.own(JarProcess.startIn(lab.ns("bgp"), dir, "run", "-f", bgpConf.toString()));
            JarProcess vrrp = lab.own(JarProcess.startIn(lab.ns("vrrp"), dir, "run", "-f", vrrpConf.toString()));

            bgp.awaitLog("change(s) at start");
            assertEquals("1", sloppy(lab, "bgp", "tcp"), bgp.err());
            assertEquals("1", sloppy(lab, "bgp", "sctp"), bgp.err());
            assertTrue(bgp.err().contains("ipvs: net.ipv4.vs.sloppy_tcp = 1 (was 0), net.ipv4.vs.sloppy_sctp = 1 (was 0);"
                    + " bgp VIPs"), "said once what it set and why:\n" + bgp.err());

            vrrp.awaitLog("change(s) at start");
            vrrp.awaitLog("BACKUP -> MASTER");
            assertEquals("0", sloppy(lab, "vrrp", "tcp"), vrrp.err());
            assertEquals("0", sloppy(lab, "vrrp", "sctp"), vrrp.err());

            // Lowered by hand: the next reconcile run puts it back, and says so.
            Shell.sh("ip netns exec " + lab.ns("bgp") + " sh -c 'echo 0 > /proc/sys/net/ipv4/vs/sloppy_tcp'");
            bgp.awaitLog("net.ipv4.vs.sloppy_tcp = 1 (was 0): lowered outside vipkeeper");
            assertEquals("1", sloppy(lab, "bgp", "tcp"));

            // A reload that brings bgp VIPs raises them too.
            vrrp.reload(vrrpConf, config(true, true));
            Lab.await(30, "sloppy_tcp raised by the reload", () -> sloppy(lab, "vrrp", "tcp").equals("1"));
            assertEquals("1", sloppy(lab, "vrrp", "sctp"), vrrp.err());

            // A graceful stop leaves them up: flows picked up so far still need them.
            bgp.signal("TERM");
            assertEquals(0, bgp.waitFor(), bgp.err());
            assertEquals("1", sloppy(lab, "bgp", "tcp"));
            assertEquals("1", sloppy(lab, "bgp", "sctp"));
        }
    }

    /** net.ipv4.vs.sloppy_PROTO in node {@code node}'s namespace. */
    private static String sloppy(Lab lab, String node, String proto) {
        return Shell.run("ip", "netns", "exec", lab.ns(node), "cat", "/proc/sys/net/ipv4/vs/sloppy_" + proto).trim();
    }
}
