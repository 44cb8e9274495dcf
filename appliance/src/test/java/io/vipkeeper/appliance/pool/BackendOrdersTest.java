package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime backend orders through the data plane manager into an in-memory kernel table, kept in a
 * state file: what each order does to the table, what a refusal leaves, restart and reload.
 */
class BackendOrdersTest {
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.100"), 80);
    private static final BackendKey RS1 = new BackendKey(TableReconcilerTest.ip("198.18.1.1"), 80);
    private static final BackendKey RS2 = new BackendKey(TableReconcilerTest.ip("198.18.1.2"), 80);

    @TempDir
    Path dir;
    private final InMemoryIpvs kernel = new InMemoryIpvs();

    private IpvsSettings settings(String realServers) throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,"
                + " real-servers = [" + realServers + "] }\n");
        return ConfigLoader.load(f).ipvs();
    }

    private IpvsSettings both() throws Exception {
        return settings("{ address = \"198.18.1.1\" }, { address = \"198.18.1.2\", weight = 2 }");
    }

    private Path stateFile() {
        return dir.resolve("state").resolve("runtime-state.json");
    }

    private DataPlaneManager manager(RuntimeState state) {
        return new DataPlaneManager("ipvs", () -> kernel, NatSetup.NONE, Map::of, OwnedServices.NONE, state);
    }

    private Map<BackendKey, ActualBackend> dests() {
        return kernel.table().get(WEB).dests();
    }

    /** The kernel table status shows follows an order without waiting for the next periodic run (an hour away here). */
    @Test
    void statusReadsTheTableAgainAfterAnOrder() throws Exception {
        Path f = dir.resolve("slow.conf");
        Files.writeString(f, "vipkeeper.ipvs { reconcile-interval = 1h, virtual-servers.web { address = \"198.18.0.100\","
                + " port = 80, real-servers = [{ address = \"198.18.1.1\" }, { address = \"198.18.1.2\", weight = 2 }] } }\n");
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(ConfigLoader.load(f).ipvs());
            awaitStatusWeight(m, RS2, 2, "status still shows the table read before the start programmed it");
            m.backend("web", "198.18.1.2:80", BackendOrder.DRAIN, null, "uid 0 (root)");
            awaitStatusWeight(m, RS2, 0, "status still shows the table read before the order");
        }
    }

    /** Waits (10 s at most, far less than the hour to the next periodic run) for status to show {@code rs} at {@code weight}. */
    private static void awaitStatusWeight(DataPlaneManager m, BackendKey rs, int weight, String otherwise) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!Integer.valueOf(weight).equals(statusWeight(m, rs)) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(weight, statusWeight(m, rs), otherwise);
    }

    private static Integer statusWeight(DataPlaneManager m, BackendKey rs) {
        ActualService s = m.status().lastTable().orElse(Map.of()).get(WEB);
        ActualBackend b = s == null ? null : s.dests().get(rs);
        return b == null ? null : b.spec().weight();
    }

    @Test
    void eachOrderChangesTheKernelTableBeforeItReturns() throws Exception {
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(both());
            BackendChange c = m.backend("web", "198.18.1.2:80", BackendOrder.DRAIN, null, "uid 0 (root)");
            assertTrue(c.changed());
            assertEquals(0, dests().get(RS2).spec().weight(), "drained: in the table at weight 0");
            m.backend("web", "198.18.1.2", BackendOrder.DISABLE, null, "uid 0 (root)");
            assertFalse(dests().containsKey(RS2), "disabled: out of the table");
            m.backend("web", "198.18.1.2:80", BackendOrder.WEIGHT, 7, "uid 0 (root)");
            assertFalse(dests().containsKey(RS2), "a runtime weight leaves a disabled backend out");
            m.backend("web", "198.18.1.2:80", BackendOrder.ENABLE, null, "uid 0 (root)");
            assertEquals(2, dests().get(RS2).spec().weight(), "enabled: back at the config weight");
            c = m.backend("web", "198.18.1.1:80", BackendOrder.WEIGHT, 5, "uid 0 (root)");
            assertEquals(5, dests().get(RS1).spec().weight());
            assertEquals(5, c.weight());
            assertEquals("runtime", c.after().origin());
            assertEquals(Map.of("web", Map.of(RS1, new BackendAdmin(AdminState.ENABLED, 5))), m.runtimeStates());
            assertFalse(m.backend("web", "198.18.1.1:80", BackendOrder.WEIGHT, 5, "uid 0 (root)").changed());
        }
    }

    @Test
    void badOrdersAreRefusedWithTheirReasonAndChangeNothing() throws Exception {
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(both());
            m.backend("web", "198.18.1.2:80", BackendOrder.DRAIN, null, "root");
            Map<ServiceKey, ActualService> table = kernel.table();
            String file = Files.readString(stateFile());
            assertEquals(BackendRefusal.Reason.UNKNOWN_VIRTUAL_SERVER,
                    assertThrows(BackendRefusal.class, () -> m.backend("api", "198.18.1.2:80", BackendOrder.DISABLE, null, "root")).reason());
            BackendRefusal r = assertThrows(BackendRefusal.class,
                    () -> m.backend("web", "198.18.1.3:80", BackendOrder.DISABLE, null, "root"));
            assertEquals(BackendRefusal.Reason.UNKNOWN_BACKEND, r.reason());
            assertTrue(r.getMessage().contains("198.18.1.1:80, 198.18.1.2:80"), r.getMessage());
            assertEquals(BackendRefusal.Reason.UNKNOWN_BACKEND,
                    assertThrows(BackendRefusal.class, () -> m.backend("web", "198.18.1.2:81", BackendOrder.DISABLE, null, "root")).reason());
            for (Integer w : new Integer[] {-1, 65536, null}) {
                assertEquals(BackendRefusal.Reason.BAD_REQUEST, assertThrows(BackendRefusal.class,
                        () -> m.backend("web", "198.18.1.2:80", BackendOrder.WEIGHT, w, "root")).reason(), "weight " + w);
            }
            assertEquals(BackendRefusal.Reason.BAD_REQUEST, assertThrows(BackendRefusal.class,
                    () -> m.backend("web", "web2.example", BackendOrder.DISABLE, null, "root")).reason());
            assertEquals(table, kernel.table());
            assertEquals(file, Files.readString(stateFile()));
        }
    }

    @Test
    void anOrderThatCannotBeWrittenIsRefusedAndChangesNothing() throws Exception {
        Files.writeString(dir.resolve("state"), "a file where the state directory should be");
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(both());
            Map<ServiceKey, ActualService> table = kernel.table();
            BackendRefusal r = assertThrows(BackendRefusal.class,
                    () -> m.backend("web", "198.18.1.2:80", BackendOrder.DISABLE, null, "root"));
            assertEquals(BackendRefusal.Reason.NOT_SAVED, r.reason());
            assertEquals(table, kernel.table());
            assertEquals(Map.of(), m.runtimeStates());
        }
    }

    @Test
    void statesSurviveARestartAndAReloadDropsThoseOfRemovedBackends() throws Exception {
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(both());
            m.backend("web", "198.18.1.2:80", BackendOrder.DISABLE, null, "root");
            m.backend("web", "198.18.1.1:80", BackendOrder.WEIGHT, 9, "root");
        }
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(both());
            assertFalse(dests().containsKey(RS2), "still disabled after a restart");
            assertEquals(9, dests().get(RS1).spec().weight(), "runtime weight after a restart");
            m.apply(settings("{ address = \"198.18.1.1\", weight = 3 }, { address = \"198.18.1.2\", weight = 2 }"));
            assertEquals(9, dests().get(RS1).spec().weight(), "a reload keeps the runtime weight");
            assertFalse(dests().containsKey(RS2), "a reload keeps the disabled backend out");
            m.apply(settings("{ address = \"198.18.1.1\", weight = 3 }"));
            assertEquals(Map.of("web", Map.of(RS1, new BackendAdmin(AdminState.ENABLED, 9))), m.runtimeStates());
            m.apply(settings("{ address = \"198.18.1.2\", weight = 2 }"));
            assertEquals(Map.of(), m.runtimeStates());
            assertFalse(Files.readString(stateFile()).contains("198.18.1."), Files.readString(stateFile()));
            m.apply(both());
            assertEquals(1, dests().get(RS1).spec().weight(), "a backend back in the config starts from it");
        }
    }

    @Test
    void anUnreadableStateFileStartsFromTheConfig() throws Exception {
        Files.createDirectories(stateFile().getParent());
        Files.writeString(stateFile(), "{ not json");
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(both());
            assertEquals(2, dests().get(RS2).spec().weight());
            m.backend("web", "198.18.1.2:80", BackendOrder.DRAIN, null, "root");
            assertTrue(Files.readString(stateFile()).contains("\"drained\""));
        }
    }

    @Test
    void concurrentOrdersSerializeAndTheLastWrittenIsWhatRuns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (DataPlaneManager m = manager(RuntimeState.in(stateFile()))) {
            m.start(both());
            List<Future<BackendChange>> done = new ArrayList<>();
            for (int i = 1; i <= 64; i++) {
                int w = i;
                done.add(pool.submit(() -> m.backend("web", w % 2 == 0 ? "198.18.1.1:80" : "198.18.1.2:80",
                        BackendOrder.WEIGHT, w, "root")));
            }
            for (Future<BackendChange> f : done) {
                assertTrue(f.get().changed(), "each order saw the one before it");
            }
            Map<BackendKey, BackendAdmin> states = m.runtimeStates().get("web");
            assertEquals(states.get(RS1).weight(), dests().get(RS1).spec().weight());
            assertEquals(states.get(RS2).weight(), dests().get(RS2).spec().weight());
            try (DataPlaneManager again = manager(RuntimeState.in(stateFile()))) {
                again.start(both());
                assertEquals(Map.of("web", states), again.runtimeStates(), "the file holds the last order of each");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
