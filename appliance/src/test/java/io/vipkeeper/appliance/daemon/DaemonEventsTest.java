package io.vipkeeper.appliance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.events.Event;
import io.vipkeeper.appliance.events.EventBus;
import io.vipkeeper.appliance.events.EventType;
import io.vipkeeper.appliance.pool.AdminState;
import io.vipkeeper.appliance.pool.BackendAdmin;
import io.vipkeeper.appliance.pool.BackendOrder;
import io.vipkeeper.appliance.pool.BackendRefusal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonEventsTest {
    private final DaemonEvents events = new DaemonEvents();
    private final EventBus.Subscription seen = events.bus().subscribe(() -> { });

    private List<String> taken() {
        List<String> out = new ArrayList<>();
        for (Event e = seen.poll(); e != null; e = seen.poll()) {
            out.add(e.type().label() + " " + e.text("state") + " " + e.text("problem"));
        }
        return out;
    }

    private static Optional<DataPlaneStatus> failing(String error) {
        return Optional.of(new DataPlaneStatus() {
            @Override
            public Optional<Map<ServiceKey, ActualService>> lastTable() {
                return Optional.empty();
            }

            @Override
            public Optional<Instant> lastTableAt() {
                return Optional.empty();
            }

            @Override
            public Optional<String> lastError() {
                return Optional.ofNullable(error);
            }

            @Override
            public long runs() {
                return 0;
            }

            @Override
            public long changes() {
                return 0;
            }

            @Override
            public long repairs() {
                return 0;
            }

            @Override
            public long failures() {
                return 0;
            }
        });
    }

    @Test
    void aDataPlaneProblemIsSaidWhenItAppearsChangesAndClearsNotAtEveryLook() {
        events.dataPlane("ipvs", failing(null));
        events.dataPlane("ipvs", failing("netlink: EPERM"));
        events.dataPlane("ipvs", failing("netlink: EPERM"));
        events.dataPlane("ipvs", failing("no ip_vs module"));
        events.dataPlane("ipvs", failing(null));
        events.dataPlane("ipvs", Optional.empty());
        assertEquals(List.of("dataplane problem netlink: EPERM", "dataplane problem no ip_vs module",
                "dataplane cleared no ip_vs module"), taken());
    }

    @Test
    void onlyAnOrderCarriedOutIsAnAdminEvent() throws BackendRefusal {
        var refusing = events.control((vs, rs, order, weight, who) -> {
            throw new BackendRefusal(BackendRefusal.Reason.UNKNOWN_BACKEND, "no backend " + rs);
        });
        assertThrows(BackendRefusal.class, () -> refusing.backend("web", "198.18.0.9:80", BackendOrder.DRAIN, null, "uid 0"));
        assertNull(seen.poll(), "a refusal changed nothing");

        var carrying = events.control((vs, rs, order, weight, who) -> new io.vipkeeper.appliance.pool.BackendChange(vs, rs,
                BackendAdmin.DEFAULT, new BackendAdmin(AdminState.DRAINED, null), 2, "config"));
        carrying.backend("web", "198.18.0.9:80", BackendOrder.DRAIN, null, "uid 0 (root)");
        Event e = seen.poll();
        assertEquals(EventType.ADMIN, e.type());
        assertEquals(Map.of("virtualServer", "web", "backend", "198.18.0.9:80", "order", "drain", "by", "uid 0 (root)",
                "changed", true, "before", "enabled", "after", "drained", "weight", 0), e.fields());
    }

    /** A maintenance order carried out is an admin event naming who gave it and what became of each member. */
    @Test
    void aMaintenanceOrderRaisesAnAdminEventWithWhoAndWhatHappened() throws Exception {
        var control = events.maintenance((instance, on, force, who) -> new io.vipkeeper.appliance.vrrp.MaintenanceChange(
                instance, "pair", on, true, List.of(
                        new io.vipkeeper.appliance.vrrp.MaintenanceChange.Member("web", "handed_over", "198.18.0.2", 62, "BACKUP"),
                        new io.vipkeeper.appliance.vrrp.MaintenanceChange.Member("db", "not_master", null, 0, "BACKUP"))));
        control.maintenance("web", true, false, "uid 0 (root)");
        Event e = seen.poll();
        assertEquals(EventType.ADMIN, e.type());
        assertEquals("web", e.text("instance"));
        assertEquals("pair", e.text("syncGroup"));
        assertEquals("uid 0 (root)", e.text("by"));
        assertEquals(List.of("web: handed over to 198.18.0.2 after 62 ms, now BACKUP", "db: was not master, now BACKUP"),
                e.fields().get("members"));
        assertEquals("web: maintenance on by uid 0 (root): web: handed over to 198.18.0.2 after 62 ms, now BACKUP;"
                + " db: was not master, now BACKUP", new io.vipkeeper.appliance.events.EventWords(java.time.ZoneOffset.UTC)
                        .line(e).substring(13));
        assertNull(seen.poll());
    }

    /** A refused order changes nothing and raises nothing. */
    @Test
    void aRefusedMaintenanceOrderRaisesNoEvent() {
        var control = events.maintenance((instance, on, force, who) -> {
            throw new io.vipkeeper.appliance.vrrp.MaintenanceRefusal(io.vipkeeper.appliance.vrrp.MaintenanceRefusal.Reason.NO_PEER, "no");
        });
        assertThrows(io.vipkeeper.appliance.vrrp.MaintenanceRefusal.class, () -> control.maintenance("web", true, false, "uid 0"));
        assertNull(seen.poll());
    }
}
