package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An instance whose interface does not exist yet, on the real kernel: it waits in FAULT, runs when
 * the interface appears, faults when it is deleted and runs again when it is back (keepalived does
 * the same). A running instance whose advert source address is removed faults too, and runs again
 * from it when it is back or from the interface's new address.
 */
class VrrpInterfaceIT extends InLab {
    private static final String VIP = "198.18.2.100";

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    /**
     * Creates eth1 (a veth pair: the host kernel has no dummy driver), up, with 198.18.2.1/24 if
     * {@code addressed}.
     */
    private void createEth1(boolean addressed) throws Exception {
        String ns = lab.ns("lb1");
        Lab.sh("ip", "-n", ns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1peer");
        if (addressed) {
            addAddress();
        }
        Lab.sh("ip", "-n", ns, "link", "set", "eth1peer", "up");
        Lab.sh("ip", "-n", ns, "link", "set", "eth1", "up");
    }

    private void addAddress() throws Exception {
        Lab.sh("ip", "-n", lab.ns("lb1"), "addr", "add", "198.18.2.1/24", "dev", "eth1");
    }

    private boolean vipOnEth1() {
        try {
            return Lab.sh("ip", "-n", lab.ns("lb1"), "-o", "addr", "show", "dev", "eth1").contains(" " + VIP + "/");
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * HTTP status and body of the node's API at {@code path}, fetched inside its namespace; empty
     * while it does not listen yet.
     */
    private String api(String path) {
        try {
            String out = Lab.sh("ip", "netns", "exec", lab.ns("lb1"), "curl", "-s", "-w", "%{http_code}",
                    "http://127.0.0.1:9180/" + path);
            return out.substring(out.length() - 3) + " " + out.substring(0, out.length() - 3);
        } catch (Exception e) {
            return "";
        }
    }

    private static long upEvents(JarProcess p) {
        try {
            return p.err().lines().filter(l -> l.endsWith("link eth1 is up")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** lb1 running one instance on eth1 (VRID 51, priority 150, 100 ms adverts), its API on {@code api}. */
    private JarProcess startOnEth1(String api) throws Exception {
        Path f = dir.resolve("lb1.conf");
        Files.writeString(f, """
                vipkeeper {
                  api.listen = "%s"
                  vrrp.instances.vi_1 { interface = eth1, virtual-router-id = 51, priority = 150,
                                        advert-interval = 100ms, virtual-ips = ["%s"] }
                }
                """.formatted(api, VIP));
        return lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", f.toString()));
    }

    @Test
    void waitsInFaultUntilItsInterfaceExistsAndFollowsItsDeletionAndReturn() throws Exception {
        JarProcess lb1 = startOnEth1("127.0.0.1:9180");
        lb1.awaitLog("vi_1: INITIALIZE -> FAULT (fault: interface: eth1 does not exist)");
        Thread.sleep(500);
        assertTrue(lb1.isAlive(), "keeps running with the instance in FAULT");
        Lab.await(10, "the API answers", () -> !api("healthz").isEmpty());
        assertEquals("503 vrrp instance vi_1 is in FAULT (interface: eth1 does not exist)\n", api("healthz"));
        String metrics = api("metrics");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("vipkeeper_vrrp_state{")
                && l.contains("vrrp_instance=\"vi_1\"") && l.contains("state=\"FAULT\"") && l.matches(".* 1(\\.0)?")),
                "listed in the metrics:\n" + metrics);

        createEth1(true);
        lb1.awaitLog("vi_1: FAULT -> BACKUP (fault_cleared)");
        lb1.awaitLog("vi_1: BACKUP -> MASTER");
        Lab.await(5, "the VIP on eth1", this::vipOnEth1);
        assertEquals("200 ok\n", api("healthz"));

        Lab.sh("ip", "-n", lab.ns("lb1"), "link", "del", "eth1");
        lb1.awaitLog("vi_1: MASTER -> FAULT");
        Thread.sleep(300);
        assertTrue(lb1.isAlive(), "survives the deletion");

        // Back without an address first: only the address event (RTM_NEWADDR) can start it.
        createEth1(false);
        Lab.await(5, "the new eth1 seen up", () -> upEvents(lb1) == 2);
        assertEquals("503 vrrp instance vi_1 is in FAULT (interface: eth1 has no IPv4 address)\n", api("healthz"));
        addAddress();
        Lab.await(10, "the VIP back on the new eth1", this::vipOnEth1);
        lb1.awaitLog("vi_1: FAULT -> BACKUP (fault_cleared)");
        assertTrue(lb1.isAlive());
        // The priority-0 advert on the deleted link fails with a warning; nothing is an error.
        assertFalse(lb1.err().contains(" ERROR "), lb1.err());
    }

    @Test
    void faultsWhenItsSourceAddressGoesAndRunsFromItOrTheNewOne() throws Exception {
        createEth1(true);
        JarProcess lb1 = startOnEth1("");
        lb1.awaitLog("vi_1: BACKUP -> MASTER");
        Lab.await(5, "the VIP on eth1", this::vipOnEth1);

        String ns = lab.ns("lb1");
        Lab.sh("ip", "-n", ns, "addr", "del", "198.18.2.1/24", "dev", "eth1");
        lb1.awaitLog("vi_1: MASTER -> FAULT (fault: interface: eth1 lost its address 198.18.2.1)");
        Lab.await(5, "the VIP gone", () -> !vipOnEth1());
        addAddress();
        lb1.awaitLog("vi_1: FAULT -> BACKUP (fault_cleared)");
        Lab.await(5, "the VIP back", this::vipOnEth1);

        // Renumbered: the new address first (another subnet: deleting a primary address would take
        // the secondaries of its subnet with it), then the old one goes.
        Lab.sh("ip", "-n", ns, "addr", "add", "198.18.3.1/24", "dev", "eth1");
        Lab.sh("ip", "-n", ns, "addr", "del", "198.18.2.1/24", "dev", "eth1");
        lb1.awaitLog("vi_1: eth1 lost 198.18.2.1, sending from 198.18.3.1 now");
        Lab.await(5, "the VIP on eth1 again", this::vipOnEth1);
        Lab.await(5, "adverts from the new address", () -> {
            try {
                return Lab.sh("ip", "netns", "exec", ns, "timeout", "2", "tcpdump", "-c", "1", "-n", "-i", "eth1peer",
                        "ip proto 112").contains("198.18.3.1 > 224.0.0.18");
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(lb1.isAlive());
        assertFalse(lb1.err().contains(" ERROR "), lb1.err());
    }
}
