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
 * takes up only with {@code net.ipv4.vs.sloppy_tcp} and {@code sloppy_sctp} at 1. A daemon in vrrp
 * mode leaves them at the kernel's 0 in its namespace; a reload that brings bgp VIPs raises both,
 * a hand edit that lowers one is put back, and a graceful stop leaves them at 1. (A daemon that
 * starts in bgp mode raises them too: IpvsMhOrderVmTest, whose daemon runs bgp mode, checks that;
 * one JVM each, as JVM starts are slow under TCG.)
 */
@Tag(VmSuite.TAG)
class IpvsBgpSloppyVmTest {
    private static final String SUBNET = "198.19.80";
    private static final String BGP_VIP = SUBNET + ".200";

    /** A VRRP instance for one VIP, a virtual server on another, which is a bgp VIP when {@code bgp}. */
    private static String config(boolean bgp) {
        return """
                vipkeeper {
                  data-plane = ipvs
                  api.listen = ""
                  vrrp.instances.site {
                    interface = eth0
                    virtual-router-id = 80
                    priority = 150
                    advert-interval = 1s
                    virtual-ips = ["%1$s.100/24"]
                  }
                  bgp { vips = [%2$s], withdraw-wait = 0s }
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
                """.formatted(SUBNET, bgp ? "\"" + BGP_VIP + "\"" : "", BGP_VIP);
    }

    @Test
    void vrrpModeLeavesSloppyPickupAloneAndBgpVipsRaiseItToStay() throws Exception {
        try (Lab lab = Lab.create(SUBNET)) {
            Path dir = Files.createTempDirectory("vk-sloppy");
            lab.node("lb", 1);
            // A new namespace starts at the kernel's default (ip_vs is loaded by the VM's init).
            assertEquals("0", sloppy(lab, "tcp"), "the kernel's default in a new namespace");
            Path conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, config(false));
            JarProcess lb = lab.own(JarProcess.startIn(lab.ns("lb"), dir, "run", "-f", conf.toString()));
            lb.awaitLog("change(s) at start");
            lb.awaitLog("BACKUP -> MASTER");
            assertEquals("0", sloppy(lab, "tcp"), lb.err());
            assertEquals("0", sloppy(lab, "sctp"), lb.err());

            // A reload that brings bgp VIPs raises both, and says what and why once.
            lb.reload(conf, config(true));
            Lab.await(60, "sloppy_tcp raised by the reload", () -> sloppy(lab, "tcp").equals("1"));
            assertEquals("1", sloppy(lab, "sctp"), lb.err());
            lb.awaitLog("ipvs: net.ipv4.vs.sloppy_tcp = 1 (was 0), net.ipv4.vs.sloppy_sctp = 1 (was 0); bgp VIPs");

            // Lowered by hand: the next reconcile run puts it back, and says so.
            Shell.sh("ip netns exec " + lab.ns("lb") + " sh -c 'echo 0 > /proc/sys/net/ipv4/vs/sloppy_tcp'");
            lb.awaitLog("net.ipv4.vs.sloppy_tcp = 1 (was 0): lowered outside vipkeeper");
            assertEquals("1", sloppy(lab, "tcp"));

            // A graceful stop leaves them up: flows picked up so far still need them.
            lb.signal("TERM");
            assertEquals(0, lb.waitFor(), lb.err());
            assertEquals("1", sloppy(lab, "tcp"));
            assertEquals("1", sloppy(lab, "sctp"));
        }
    }

    /** net.ipv4.vs.sloppy_PROTO in the director's namespace. */
    static String sloppy(Lab lab, String proto) {
        return Shell.run("ip", "netns", "exec", lab.ns("lb"), "cat", "/proc/sys/net/ipv4/vs/sloppy_" + proto).trim();
    }
}
