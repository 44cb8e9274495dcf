package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VRRP maintenance kept beside the backend states: one file holds both, and a write keeps the other. */
class RuntimeStateMaintenanceTest {
    @TempDir
    Path dir;

    @Test
    void maintenanceAndBackendStatesShareTheFileAndSurviveARestart() throws Exception {
        Path file = dir.resolve("runtime-state.json");
        BackendKey rs = new BackendKey(InetAddress.getByName("198.18.248.11"), 80);
        RuntimeState first = RuntimeState.in(file);
        first.load();
        first.set("web", rs, new BackendAdmin(AdminState.DRAINED, null));
        first.setMaintenance(Set.of("vi_1", "vi_2"));
        first.set("web", rs, new BackendAdmin(AdminState.DISABLED, null));

        RuntimeState next = RuntimeState.in(file);
        assertEquals(Set.of("vi_1", "vi_2"), next.maintenance(), "read at first use, without a data plane");
        next.load();
        assertEquals(Map.of("web", Map.of(rs, new BackendAdmin(AdminState.DISABLED, null))), next.view());
        next.setMaintenance(Set.of());
        RuntimeState third = RuntimeState.in(file);
        third.load();
        assertEquals(Set.of(), third.maintenance());
        assertEquals(1, third.view().size(), "the backend state is still there");
    }

    @Test
    void aFileWithoutMaintenanceHasNone() throws Exception {
        Path file = dir.resolve("runtime-state.json");
        Files.writeString(file, "{\"note\":\"older\",\"backends\":[]}");
        assertEquals(Set.of(), RuntimeState.in(file).maintenance());
    }

    @Test
    void aMaintenanceThatCannotBeWrittenChangesNothing() throws Exception {
        Path blocked = dir.resolve("not-a-dir");
        Files.writeString(blocked, "");
        RuntimeState s = RuntimeState.in(blocked.resolve("runtime-state.json"));
        assertThrows(IOException.class, () -> s.setMaintenance(Set.of("vi_1")));
        assertEquals(Set.of(), s.maintenance());
    }

    /** A hand-edited file: each bad entry is left out on its own; the daemon starts with the rest. */
    @Test
    void aBadEntryIsLeftOutAloneAndNeverStopsTheLoad() throws Exception {
        Path file = dir.resolve("runtime-state.json");
        Files.writeString(file, """
                {"backends": [
                  {"address": "198.18.245.10", "port": 80, "admin": "drained"},
                  {"virtualServer": "web", "address": "198.18.245.11", "port": "eighty", "admin": "drained"},
                  {"virtualServer": "web", "address": "198.18.245.12", "port": 80, "admin": "drained"},
                  null, 7
                ],
                 "maintenance": [null, "vi_1", 3, ""]}
                """);
        RuntimeState state = RuntimeState.in(file);
        state.load();
        BackendKey good = new BackendKey(InetAddress.getByName("198.18.245.12"), 80);
        assertEquals(Map.of("web", Map.of(good, new BackendAdmin(AdminState.DRAINED, null))), state.view());
        assertEquals(Set.of("vi_1"), state.maintenance());
    }
}
