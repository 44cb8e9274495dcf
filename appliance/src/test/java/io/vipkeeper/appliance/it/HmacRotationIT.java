package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.HmacTrailer;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two vipkeeper nodes in namespaces change their hmac-sha256 settings by reloads, one node at a
 * time, as keepalived 2.4 documents for auth_hmac: key rotation in three sweeps (add key 2; make
 * it active; drop key 1) and the migration from no authentication through receive-only and
 * permissive to enforce. A sampler watches the VIP the whole time (lb1 must hold it, lb2 never),
 * the status counters show no transition and no refused advert, and adverts forged on the segment
 * with a dropped or unknown key, or without a trailer, are refused and counted.
 */
class HmacRotationIT extends InLab {
    private static final String VIP = "198.18.100.100";
    private static final String K1 = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String K2 = "hex:" + "5a".repeat(40);
    private static final Inet4Address MALLORY = (Inet4Address) NetUtil.createInetAddressFromIpAddressString(
            "198.18.100.9");
    private static final Inet4Address GROUP = (Inet4Address) VrrpMulticast.IPV4;

    @Override
    protected String subnet() {
        return "198.18.100";
    }

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
        newLab.node("lb2", 2);
        newLab.node("mallory", 9);
    }

    private static String conf(String node, int host, int priority, String authentication) {
        return """
                vipkeeper {
                  node-name = %s
                  api.listen = "198.18.100.%d:9180"
                  vrrp.instances.vi_1 {
                    interface = eth0, virtual-router-id = 51, priority = %d, advert-interval = 100ms
                    virtual-ips = ["%s/24"]
                    authentication { %s }
                  }
                }
                """.formatted(node, host, priority, VIP, authentication);
    }

    private static String ring(String keys, int active, String mode) {
        return "type = hmac-sha256, keys = [" + keys + "], active-key = " + active + ", mode = " + mode;
    }

    private static String key(int id, String key) {
        return "{ id = " + id + ", key = \"" + key + "\" }";
    }

    /** A running pair: lb1 (150) master, lb2 (100) backup, each with its config file. */
    private record Pair(JarProcess lb1, Path conf1, JarProcess lb2, Path conf2) {
    }

    private Pair start(String authentication) throws Exception {
        Path c1 = java.nio.file.Files.writeString(dir.resolve("lb1.conf"), conf("lb1", 1, 150, authentication));
        Path c2 = java.nio.file.Files.writeString(dir.resolve("lb2.conf"), conf("lb2", 2, 100, authentication));
        JarProcess lb1 = lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", c1.toString()));
        Lab.await(10, "lb1 master", () -> holds("lb1", VIP));
        JarProcess lb2 = lab.own(JarProcess.startIn(lab.ns("lb2"), dir, "run", "-f", c2.toString()));
        lb2.awaitLog("vi_1: INITIALIZE -> BACKUP");
        return new Pair(lb1, c1, lb2, c2);
    }

    /**
     * Applies each step's authentication to lb1, then to lb2, by reload, with a few adverts between
     * reloads, while a sampler checks every ~50 ms that lb1 holds the VIP and lb2 does not; returns
     * what the sampler saw wrong.
     */
    private List<String> sweep(Pair p, List<String> steps) throws Exception {
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            int samples = 0;
            while (!done.get()) {
                boolean one = holds("lb1", VIP);
                boolean two = holds("lb2", VIP);
                if (!one || two) {
                    wrong.add("sample " + samples + ": lb1 " + (one ? "holds" : "lacks") + " the VIP, lb2 "
                            + (two ? "holds" : "lacks") + " it");
                }
                samples++;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vip-sampler");
        sampler.start();
        try {
            for (String auth : steps) {
                p.lb1().reload(p.conf1(), conf("lb1", 1, 150, auth));
                Thread.sleep(500); // five adverts each way under the new settings
                p.lb2().reload(p.conf2(), conf("lb2", 2, 100, auth));
                Thread.sleep(500);
            }
        } finally {
            done.set(true);
            sampler.join();
        }
        return wrong;
    }

    private StatusSnapshot.Instance status(String node, int host) throws Exception {
        return new LabApi(lab).status(node, host).vrrpInstances().stream().filter(i -> i.name().equals("vi_1")).findFirst()
                .orElseThrow();
    }

    /** The instance's refused adverts, by reason, leaving out reasons with none. */
    private static Map<String, Long> drops(StatusSnapshot.Instance i) {
        Map<String, Long> d = new java.util.TreeMap<>(i.drops());
        d.values().removeIf(n -> n == 0);
        return d;
    }

    /** An advert for VRID 51 at priority 255 from mallory, signed with {@code key} under {@code keyId}. */
    private static byte[] forged(int keyId, String key) {
        byte[] message = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 255, 10, List.of(
                NetUtil.createInetAddressFromIpAddressString(VIP))), MALLORY, GROUP);
        return key == null ? message : HmacTrailer.sign(message, 3, 51, MALLORY, keyId,
                HmacTrailer.parseKey(key).orElseThrow(), HmacTrailer.clockSequence(System.currentTimeMillis()));
    }

    @Test
    void keysRotateInKeepalivedsThreeSweepsWithoutATransitionAndADroppedKeyIsRefused() throws Exception {
        Pair p = start(ring(key(1, K1), 1, "enforce"));
        Thread.sleep(500);
        StatusSnapshot.Instance master = status("lb1", 1);
        StatusSnapshot.Instance backup = status("lb2", 2);
        List<String> wrong = sweep(p, List.of(
                ring(key(1, K1) + ", " + key(2, K2), 1, "enforce"),
                ring(key(1, K1) + ", " + key(2, K2), 2, "enforce"),
                ring(key(2, K2), 2, "enforce")));
        assertEquals(List.of(), wrong, "the VIP stayed on lb1 through every reload");
        StatusSnapshot.Instance master2 = status("lb1", 1);
        StatusSnapshot.Instance backup2 = status("lb2", 2);
        assertEquals(master.transitions(), master2.transitions(), "lb1 made no transition");
        assertEquals(backup.transitions(), backup2.transitions(), "lb2 made no transition");
        assertEquals(Map.of(), drops(backup2), "lb2 accepted every advert of lb1");
        assertEquals(Map.of(), drops(master2), "lb1 accepted every advert of lb2 (none: it is backup)");
        assertTrue(backup2.advertsReceived() > backup.advertsReceived() + 20, backup2.advertsReceived() + " adverts");
        assertEquals(0, p.lb2().logCount("-> MASTER"), p.lb2().log());

        try (ForgedAdverts mallory = ForgedAdverts.in(lab.ns("mallory"))) {
            for (int i = 0; i < 3; i++) {
                mallory.sendMessage(forged(1, K1), MALLORY, GROUP); // the dropped key
                mallory.sendMessage(forged(7, K2), MALLORY, GROUP); // an id no node has
            }
            Lab.await(5, "six adverts refused for their key", () -> {
                try {
                    return drops(status("lb2", 2)).getOrDefault("hmacUnknownKey", 0L) == 6
                            && drops(status("lb1", 1)).getOrDefault("hmacUnknownKey", 0L) == 6;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(holds("lb1", VIP), "priority 255 under a refused key moves nothing");
            assertEquals(Map.of("hmacUnknownKey", 6L), drops(status("lb2", 2)));
            // The control: the same advert under the key in use is believed, so the refusals above were real.
            mallory.sendMessage(forged(2, K2), MALLORY, GROUP);
            p.lb1().awaitLog("vi_1: MASTER -> BACKUP (higher_priority");
        }
    }

    @Test
    void anUnauthenticatedPairMigratesToEnforceThroughReceiveOnlyAndPermissiveWithoutATransition() throws Exception {
        Pair p = start("type = none");
        Thread.sleep(500);
        StatusSnapshot.Instance master = status("lb1", 1);
        StatusSnapshot.Instance backup = status("lb2", 2);
        List<String> wrong = sweep(p, List.of(ring(key(1, K1), 1, "receive-only"), ring(key(1, K1), 1, "permissive"),
                ring(key(1, K1), 1, "enforce")));
        assertEquals(List.of(), wrong, "the VIP stayed on lb1 through every reload");
        StatusSnapshot.Instance master2 = status("lb1", 1);
        StatusSnapshot.Instance backup2 = status("lb2", 2);
        assertEquals(master.transitions(), master2.transitions(), "lb1 made no transition");
        assertEquals(backup.transitions(), backup2.transitions(), "lb2 made no transition");
        assertEquals(Map.of(), drops(backup2), "lb2 accepted every advert of lb1");
        assertTrue(backup2.advertsReceived() > backup.advertsReceived() + 20, backup2.advertsReceived() + " adverts");

        try (ForgedAdverts mallory = ForgedAdverts.in(lab.ns("mallory"))) {
            for (int i = 0; i < 3; i++) {
                mallory.sendMessage(forged(0, null), MALLORY, GROUP);
            }
            Lab.await(5, "three unsigned adverts refused", () -> {
                try {
                    return drops(status("lb2", 2)).getOrDefault("hmacMissing", 0L) == 3;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(holds("lb1", VIP), "an unsigned priority-255 advert moves nothing under enforce");
        }
    }
}
