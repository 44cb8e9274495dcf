package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health changes through the pool policy into an in-memory kernel table. */
class PoolHealthTest {
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.100"), 80);
    private static final BackendKey RS1 = new BackendKey(TableReconcilerTest.ip("198.18.1.1"), 80);
    private static final BackendKey RS2 = new BackendKey(TableReconcilerTest.ip("198.18.1.2"), 80);
    private static final BackendKey SORRY = new BackendKey(TableReconcilerTest.ip("198.18.1.9"), 8080);

    @TempDir
    Path dir;
    private final InMemoryIpvs kernel = new InMemoryIpvs();
    private final Map<String, Map<BackendKey, RealServerHealth>> view = new ConcurrentHashMap<>();

    private IpvsSettings settings(String extra) throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80, " + extra
                + " real-servers = [{ address = \"198.18.1.1\" }, { address = \"198.18.1.2\", weight = 2 }] }\n");
        return ConfigLoader.load(f).ipvs();
    }

    private DataPlaneManager manager() {
        return new DataPlaneManager(() -> kernel, NatSetup.NONE, () -> Map.copyOf(view));
    }

    private Map<BackendKey, ActualBackend> dests() {
        return kernel.table().get(WEB).dests();
    }

    private static RealServerHealth health(boolean up) {
        return new RealServerHealth(up, up ? "connected" : "connection refused", Instant.now(), 1, up ? 0 : 1,
                Duration.ZERO);
    }

    @Test
    void aDownServerLeavesAtOnceAndReturnsWithItsWeight() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(settings(""));
            m.health("web", RS2, false, "connection refused");
            m.reconcileNow();
            assertEquals(List.of(RS1), List.copyOf(dests().keySet()));
            m.health("web", RS2, true, "connected");
            m.reconcileNow();
            assertEquals(2, dests().get(RS2).spec().weight());
            assertEquals(2, m.poolChanges());
            assertEquals(0, m.status().repairs(), "health changes are not drift");
        }
    }

    @Test
    void inhibitOnFailureKeepsTheServerAtWeightZero() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(settings("inhibit-on-failure = true,"));
            m.health("web", RS1, false, "timeout after 1s");
            m.reconcileNow();
            assertEquals(0, dests().get(RS1).spec().weight());
            assertEquals(2, dests().get(RS2).spec().weight());
        }
    }

    @Test
    void aServerDownAtStartIsNotProgrammedAndADownOneInTheKernelIsDeleted() throws Exception {
        view.put("web", Map.of(RS1, health(false), RS2, health(true)));
        try (DataPlaneManager m = manager()) {
            m.start(settings(""));
            assertEquals(List.of(RS2), List.copyOf(dests().keySet()));
        }
    }

    @Test
    void lostQuorumPutsTheSorryServerInPlaceOfThePoolUntilItReturns() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(settings("quorum = 2, sorry-server = \"198.18.1.9:8080\","));
            assertEquals(List.of(RS1, RS2), List.copyOf(dests().keySet()));
            m.health("web", RS1, false, "connection refused");
            m.reconcileNow();
            assertEquals(List.of(RS2), List.copyOf(dests().keySet()), "live weight 2 still meets quorum 2");
            m.health("web", RS2, false, "connection refused");
            m.reconcileNow();
            assertEquals(List.of(SORRY), List.copyOf(dests().keySet()));
            assertTrue(m.quorums().containsKey("web"));
            assertFalse(m.quorums().get("web"));
            m.health("web", RS1, true, "connected");
            m.reconcileNow();
            assertEquals(List.of(SORRY), List.copyOf(dests().keySet()), "live weight 1 is below quorum 2");
            m.health("web", RS2, true, "connected");
            m.reconcileNow();
            assertEquals(List.of(RS1, RS2), List.copyOf(dests().keySet().stream().sorted(
                    java.util.Comparator.comparing(BackendKey::toString)).toList()));
            assertTrue(m.quorums().get("web"));
        }
    }

    @Test
    void hysteresisHoldsTheSorryServerUntilQuorumPlusHysteresis() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(settings("quorum = 2, hysteresis = 1, sorry-server = \"198.18.1.9:8080\", inhibit-on-failure = true,"));
            m.health("web", RS2, false, "status 503");
            m.reconcileNow();
            // live weight 1 >= 2 - 1: the quorum holds; RS2 inhibited.
            assertEquals(0, dests().get(RS2).spec().weight());
            assertNull(dests().get(SORRY));
            m.health("web", RS1, false, "status 503");
            m.reconcileNow();
            assertEquals(1, dests().get(SORRY).spec().weight());
            assertEquals(0, dests().get(RS1).spec().weight(), "inhibited servers stay at weight 0 under the sorry server");
            m.health("web", RS2, true, "status 200");
            m.reconcileNow();
            assertEquals(1, dests().get(SORRY).spec().weight(), "live weight 2 < 2 + 1: still lost");
            m.health("web", RS1, true, "status 200");
            m.reconcileNow();
            assertNull(dests().get(SORRY));
            assertEquals(1, dests().get(RS1).spec().weight());
        }
    }

    @Test
    void notifyProgramsRunInOrderWithTheirArgumentsAndCoalesceWhenBehind() throws Exception {
        Path log = dir.resolve("notify.log");
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\nsleep 0.2\necho \"$@\" >> " + log + "\n");
        script.toFile().setExecutable(true);
        try (DataPlaneManager m = manager()) {
            Path f = dir.resolve("vipkeeper.conf");
            Files.writeString(f, "vipkeeper.ipvs.real-server-defaults { notify-up = \"" + script + "\", notify-down = \""
                    + script + "\", notify-timeout = 5s }\nvipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\","
                    + " port = 80, real-servers = [{ address = \"198.18.1.1\" }] }\n");
            m.start(ConfigLoader.load(f).ipvs());
            // Six changes while the first program runs: it falls behind, the waiting ones coalesce.
            for (int i = 0; i < 3; i++) {
                m.health("web", RS1, false, "refused");
                m.health("web", RS1, true, "connected");
            }
            m.reconcileNow();
            m.notifyIdle().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("web 198.18.1.1:80 DOWN", "web 198.18.1.1:80 UP"), Files.readAllLines(log),
                    "the first, then the latest");
        }
    }
}
