package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.DataPlane;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the ITs on a fresh {@link NftNatLab} for each test (web1 and web2 serving their name on
 * 8080): the lab, the engine's thread and the engine, made before each test with what the IT adds
 * ({@link #addToLab}) and closed after it, also when making it failed; and the count of which web
 * server answered the client's connections through a VIP.
 */
abstract class OnNftNatLab {
    @TempDir
    protected Path dir;
    protected NftNatLab nat;
    protected Lab lab;
    protected NftEngineThread lb;
    protected DataPlane engine;

    /** The lab's /24 as three octets. */
    protected abstract String subnet();

    /** What the IT adds to the lab before each test: nothing unless it says. */
    protected void addToLab() throws Exception {
    }

    @BeforeEach
    void createNatLab() throws Exception {
        nat = NftNatLab.create(dir, subnet(), 2, 8080);
        try {
            lab = nat.lab();
            lb = nat.engine();
            engine = lb.engine();
            addToLab();
        } catch (Exception | Error e) {
            NftNatLab made = nat;
            nat = null;
            made.close();
            throw e;
        }
    }

    @AfterEach
    void closeNatLab() throws Exception {
        if (nat != null) {
            nat.close();
        }
    }

    /** Runs {@code task} on the engine's thread. */
    protected <T> T onLb(Callable<T> task) throws Exception {
        return lb.call(task);
    }

    /**
     * Which web server answered each of {@code connections} new connections from the client's
     * address {@code local} (null: the kernel's choice) to {@code vip}:80; fails on one unanswered.
     */
    protected Map<String, Integer> spread(String local, String vip, int connections) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            String who = HttpGet.body(lab.ns("client"), local, vip, 80, 2000);
            assertTrue(who != null, "connection " + i + (local == null ? "" : " from " + local) + " through " + vip
                    + " was answered");
            seen.merge(who, 1, Integer::sum);
        }
        return seen;
    }

    /** The one server of {@code spread}, failing when there were more. */
    protected static String only(Map<String, Integer> spread) {
        assertEquals(1, spread.size(), "one client, one backend: " + spread);
        return spread.keySet().iterator().next();
    }
}
