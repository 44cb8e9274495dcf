package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusSnapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * vipkeeper and Debian's keepalived on one VRID, each way round: the VIP ends on the right node
 * after election, a master link fault, the link's return (preemption) and a graceful stop; and
 * when their versions differ, vipkeeper reports the split brain.
 */
class KeepalivedInteropIT extends InLab {
    private static final String VIP = "198.18.1.100";
    private static final String VK = "lb1";
    private static final String KA = "lb2";

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node(VK, 1);
        newLab.node(KA, 2);
    }

    /**
     * A protocol setup both sides speak.
     *
     * @param name shown in the test name
     * @param version VRRP version
     * @param kaAdvert keepalived advert_int
     * @param vkAdvert vipkeeper advert-interval
     * @param kaExtra lines for keepalived's vrrp_instance, given (own address, peer address)
     * @param vkExtra keys for vipkeeper's instance, given (own address, peer address)
     * @param failoverSeconds generous bound for one takeover
     */
    record Mode(String name, int version, String kaAdvert, String vkAdvert, BiFunction<String, String, String> kaExtra,
            BiFunction<String, String, String> vkExtra, double failoverSeconds) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Arguments> modes() {
        List<Mode> modes = List.of(
                new Mode("v2 multicast", 2, "1", "1s", (me, peer) -> "", (me, peer) -> "", 8),
                new Mode("v3 multicast", 3, "0.1", "100ms", (me, peer) -> "", (me, peer) -> "", 4),
                new Mode("v3 unicast", 3, "0.1", "100ms",
                        (me, peer) -> "unicast_src_ip " + me + "\n  unicast_peer {\n    " + peer + "\n  }",
                        (me, peer) -> "unicast-peers = [\"" + peer + "\"]", 4),
                new Mode("v2 pass", 2, "1", "1s",
                        (me, peer) -> "authentication {\n    auth_type PASS\n    auth_pass s3cret\n  }",
                        (me, peer) -> "authentication { type = pass, password = \"s3cret\" }", 8),
                new Mode("v2 ah", 2, "1", "1s",
                        (me, peer) -> "authentication {\n    auth_type AH\n    auth_pass s3cret\n  }",
                        (me, peer) -> "authentication { type = ah, password = \"s3cret\" }", 8));
        List<Arguments> args = new ArrayList<>();
        for (Mode m : modes) {
            args.add(Arguments.of(m, true));
            args.add(Arguments.of(m, false));
        }
        return args;
    }

    private boolean has(String node) {
        try {
            return lab.has(node, VIP);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * keepalived left at its default VRRPv2 beside vipkeeper's v3 on one VRID: neither hears the
     * other and both hold the VIP. vipkeeper says so once in its log, in /status and in
     * {@code vipkeeper status}, and /healthz answers 503 until 3 Master_Down_Intervals after
     * keepalived stopped.
     */
    @Test
    void aV2KeepalivedBesideV3VipkeeperIsASplitBrainHealthzReports() throws Exception {
        Path conf = dir.resolve("vk.conf");
        Files.writeString(conf, """
                vipkeeper {
                  api.listen = "198.18.1.1:9180"
                  vrrp.instances.vi_1 {
                    interface = eth0, virtual-router-id = 51, priority = 150, version = 3
                    advert-interval = 1s, virtual-ips = ["%s/24"]
                  }
                }
                """.formatted(VIP));
        JarProcess vk = lab.own(JarProcess.startIn(lab.ns(VK), dir, "run", "-f", conf.toString()));
        Keepalived ka = lab.own(Keepalived.start(lab.ns(KA), dir, "ka", Keepalived.instance("vi_1", 2, 51, 100, "1",
                VIP + "/24", "")));
        LabApi api = new LabApi(lab);
        String mismatch = "from 198.18.1.2 configured differently: version (VRRPv2 advert, this router speaks VRRPv3)";
        try {
            Lab.await(15, "both hold the VIP", () -> has(VK) && has(KA));
            Lab.await(5, "/healthz names the mismatch", () -> {
                LabApi.Answer h = api.healthz(VK, 1);
                return h.status() == 503 && h.body().contains("vrrp instance vi_1 drops adverts for VRID 51 " + mismatch);
            });
            StatusSnapshot.Instance i = api.status(VK, 1).vrrpInstances().get(0);
            assertEquals("MASTER", i.state());
            assertEquals(1, i.mismatches().size(), i.mismatches().toString());
            StatusSnapshot.Mismatch m = i.mismatches().get(0);
            assertEquals("198.18.1.2", m.peer());
            assertEquals("version", m.reason());
            assertEquals("VRRPv2 advert, this router speaks VRRPv3", m.detail());
            assertTrue(m.active());
            assertTrue(m.count() >= 1 && m.count() <= i.drops().get("version"), i.toString());
            try (JarProcess cli = JarProcess.startIn(lab.ns(VK), dir, "status", "-f", conf.toString())) {
                assertEquals(0, cli.waitFor(), cli.err());
                assertTrue(cli.out().contains("\n  mismatch  198.18.1.2: version (VRRPv2 advert, this router speaks"
                        + " VRRPv3), "), cli.out());
            }
            Thread.sleep(3000);
            assertEquals(1, vk.err().split("dropping adverts for VRID 51 from 198.18.1.2 \\(version: ", -1).length - 1,
                    "logged once, not per advert:\n" + vk.err());

            long stopped = System.nanoTime();
            ka.stop();
            Thread.sleep(5000);
            assertEquals(503, api.healthz(VK, 1).status(), "still within 3 Master_Down_Intervals (10.24 s)");
            Lab.await(15, "/healthz back to 200 after the window", () -> api.healthz(VK, 1).status() == 200);
            System.out.printf("/healthz 200 again %.1f s after keepalived stopped (window 10.24 s)%n",
                    (System.nanoTime() - stopped) / 1e9);
            StatusSnapshot.Mismatch after = api.status(VK, 1).vrrpInstances().get(0).mismatches().get(0);
            assertFalse(after.active(), after.toString());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- vipkeeper:\n" + vk.err() + "\n--- keepalived:\n" + ka.log(), e);
        }
    }

    @ParameterizedTest(name = "{0}, vipkeeper is the higher priority: {1}")
    @MethodSource("modes")
    void theVipEndsOnTheRightNodeAfterEveryFault(Mode mode, boolean vipkeeperHigh) throws Exception {
        int vkPrio = vipkeeperHigh ? 150 : 100;
        int kaPrio = vipkeeperHigh ? 100 : 150;
        Path conf = dir.resolve("vk.conf");
        Files.writeString(conf, """
                vipkeeper {
                  api.listen = ""
                  vrrp.instances.vi_1 {
                    interface = eth0, virtual-router-id = 51, priority = %d, version = %d
                    advert-interval = %s, virtual-ips = ["%s/24"]
                    %s
                  }
                }
                """.formatted(vkPrio, mode.version(), mode.vkAdvert(), VIP,
                mode.vkExtra().apply("198.18.1.1", "198.18.1.2")));
        JarProcess vk = lab.own(JarProcess.startIn(lab.ns(VK), dir, "run", "-f", conf.toString()));
        Keepalived ka = lab.own(Keepalived.start(lab.ns(KA), dir, "ka", Keepalived.instance("vi_1", mode.version(),
                51, kaPrio, mode.kaAdvert(), VIP + "/24", mode.kaExtra().apply("198.18.1.2", "198.18.1.1"))));
        String high = vipkeeperHigh ? VK : KA;
        String low = vipkeeperHigh ? KA : VK;
        double t = mode.failoverSeconds();
        try {
            Lab.await(t + 2, "election: " + high + " holds the VIP", () -> has(high));
            Lab.await(t, "election: " + low + " does not", () -> !has(low));

            lab.link(high, false);
            Lab.await(t, "master link down: " + low + " takes the VIP", () -> has(low));

            lab.link(high, true);
            Lab.await(t + 2, "link back: " + high + " preempts", () -> has(high));
            Lab.await(t, "link back: " + low + " releases", () -> !has(low));

            if (vipkeeperHigh) {
                vk.signal("TERM");
                assertEquals(0, vk.waitFor());
            } else {
                ka.stop();
            }
            Lab.await(t, "graceful stop: " + low + " takes the VIP", () -> has(low));
            Lab.await(2, "graceful stop: " + high + " released it", () -> !has(high));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- vipkeeper:\n" + vk.err() + "\n--- keepalived:\n" + ka.log(), e);
        }
    }
}
