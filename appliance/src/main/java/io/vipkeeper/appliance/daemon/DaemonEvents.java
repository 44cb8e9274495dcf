package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.Version;
import io.vipkeeper.appliance.api.BackendControl;
import io.vipkeeper.appliance.api.ReloadResult;
import io.vipkeeper.appliance.api.VrrpControl;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.appliance.events.EventBus;
import io.vipkeeper.appliance.events.Events;
import io.vipkeeper.appliance.pool.BackendChange;
import io.vipkeeper.appliance.vrrp.MaintenanceChange;
import io.vipkeeper.vrrp.fsm.TransitionListener;
import java.util.Optional;

/**
 * Where the daemon raises its events on the {@link EventBus} that {@code GET /events} serves: one
 * method per kind, so the lifecycle code only says when. Every method is cheap and never blocks (the
 * transition listener runs on the VRRP loop).
 */
final class DaemonEvents {
    private final EventBus bus = new EventBus(EventBus.DEFAULT_LIMIT);
    /** The data plane's problem last seen (guarded by this); null while it has none. */
    private String problem;

    /** The bus the API subscribes to. */
    EventBus bus() {
        return bus;
    }

    /** Publishes every VRRP transition. */
    TransitionListener transitions() {
        return t -> bus.publish(Events.transition(t));
    }

    void health(String virtualServer, Object backend, boolean up, String reason) {
        bus.publish(Events.health(virtualServer, String.valueOf(backend), up, reason));
    }

    /** {@code control} raising an admin event for each order it carries out (refusals change nothing). */
    BackendControl control(BackendControl control) {
        return (vs, rs, order, weight, who) -> {
            BackendChange c = control.backend(vs, rs, order, weight, who);
            bus.publish(Events.admin(c.virtualServer(), c.backend(), order.label(), who, c.changed(),
                    c.before().state().label(), c.after().state().label(), c.weight(), c.event()));
            return c;
        };
    }

    /** {@code control} raising an admin event for each maintenance order it carries out (refusals change nothing). */
    VrrpControl maintenance(VrrpControl control) {
        return (instance, on, force, who) -> {
            MaintenanceChange c = control.maintenance(instance, on, force, who);
            bus.publish(Events.maintenance(c.instance(), c.syncGroup(), c.maintenance(), who, c.changed(),
                    c.members().stream().map(DaemonEvents::words).toList()));
            return c;
        };
    }

    /** What became of one instance, in words: "web: handed over to 198.18.0.2 after 62 ms, now BACKUP". */
    static String words(MaintenanceChange.Member m) {
        String outcome = switch (m.outcome()) {
            case "not_master" -> "was not master";
            case "released_to_nobody" -> "released with no new master seen (forced)";
            case "left" -> "left maintenance";
            default -> m.outcome().replace('_', ' ');
        };
        return m.name() + ": " + outcome + (m.newMaster() == null ? "" : " to " + m.newMaster() + " after " + m.waitedMs()
                + " ms") + ", now " + m.state();
    }

    /** A bgp VIP announced or withdrawn, and why. */
    void bgp(java.net.InetAddress vip, boolean announced, String reason) {
        bus.publish(Events.bgp(io.vipkeeper.appliance.config.Addresses.format(vip), announced, reason));
    }

    void reload(ReloadResult r) {
        bus.publish(Events.reload(r.ok(), r.summary(), r.problems()));
    }

    void daemon(String node, String state) {
        bus.publish(Events.daemon(node, state, Version.line()));
    }

    /**
     * Compares the data plane's last error with the one seen before and raises an event when one
     * appears, changes or clears; called periodically (the reconcile loop has no listeners of its own).
     */
    synchronized void dataPlane(String engine, Optional<DataPlaneStatus> status) {
        String now = status.flatMap(DataPlaneStatus::lastError).orElse(null);
        if (now != null && !now.equals(problem)) {
            bus.publish(Events.dataPlane(engine, false, now));
        } else if (now == null && problem != null) {
            bus.publish(Events.dataPlane(engine, true, problem));
        }
        problem = now;
    }
}
