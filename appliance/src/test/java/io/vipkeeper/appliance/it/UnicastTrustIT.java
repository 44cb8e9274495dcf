package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A vipkeeper master with one unicast peer under forged adverts from a raw socket: a stranger on
 * the link at priority 254 is dropped and counted (status and metrics), so is the peer's own
 * address arriving through a router (TTL 254); the peer's address at TTL 255 is obeyed, which
 * shows the forged packets do reach the daemon.
 */
class UnicastTrustIT extends InLab {
    private static final String INSTANCE = "vi_1";
    private static final String VIP = "198.18.1.100";
    private static final int ADVERTS = 20;

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
        newLab.node("lb2", 2);
        newLab.node("x", 3);
    }

    private static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    private boolean lb1HasVip() {
        try {
            return lab.has("lb1", VIP);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long dropped(LabApi api, String reason) throws Exception {
        StatusSnapshot.Instance i = api.status("lb1", 1).vrrpInstances().get(0);
        assertEquals(INSTANCE, i.name());
        return i.drops().get(reason);
    }

    /** {@link #ADVERTS} adverts at priority 254 for VRID 51, 50 ms apart, from {@code source} in {@code node}. */
    private void forge(String node, String source, int ttl) throws Exception {
        VrrpAdvertisement ad = VrrpAdvertisement.v3(51, 254, 100, List.of(ip(VIP)));
        try (ForgedAdverts f = ForgedAdverts.in(lab.ns(node))) {
            for (int n = 0; n < ADVERTS; n++) {
                f.send(ad, ip(source), ip("198.18.1.1"), ttl);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aStrangerAndARoutedPeerCannotTakeTheVipAndAreCounted() throws Exception {
        Path conf = dir.resolve("lb1.conf");
        Files.writeString(conf, """
                vipkeeper {
                  api.listen = "198.18.1.1:9180"
                  vrrp.instances.%s {
                    interface = eth0, virtual-router-id = 51, priority = 150, advert-interval = 100ms
                    virtual-ips = ["%s/24"], unicast-peers = ["198.18.1.2"]
                  }
                }
                """.formatted(INSTANCE, VIP));
        JarProcess lb1 = lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", conf.toString()));
        LabApi api = new LabApi(lab);
        try {
            lb1.awaitLog(INSTANCE + ": BACKUP -> MASTER");
            Lab.await(5, "lb1 holds the VIP", this::lb1HasVip);

            forge("x", "198.18.1.3", 255);
            assertTrue(lb1HasVip() && !lb1.err().contains("MASTER -> BACKUP"),
                    "a stranger at priority 254 did not take the VIP");
            Lab.await(5, "every stranger's advert counted as not_unicast_peer",
                    () -> count(api, "notUnicastPeer") == ADVERTS);
            assertEquals(ADVERTS, api.metrics("lb1", 1).value("vipkeeper_vrrp_dropped_packets_total",
                    "vrrp_instance", INSTANCE, "reason", "not_unicast_peer"));

            forge("lb2", "198.18.1.2", 254);
            assertTrue(lb1HasVip() && !lb1.err().contains("MASTER -> BACKUP"),
                    "the peer's address through a router did not take the VIP");
            Lab.await(5, "every routed advert counted as ttl", () -> count(api, "ttl") == ADVERTS);
            assertEquals("MASTER", api.status("lb1", 1).vrrpInstances().get(0).state());
            assertEquals(0, api.status("lb1", 1).vrrpInstances().get(0).advertsReceived());

            forge("lb2", "198.18.1.2", 255);
            lb1.awaitLog(INSTANCE + ": MASTER -> BACKUP (higher_priority");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- vipkeeper:\n" + lb1.err(), e);
        }
    }

    private long count(LabApi api, String reason) {
        try {
            return dropped(api, reason);
        } catch (Exception e) {
            return -1;
        }
    }
}
