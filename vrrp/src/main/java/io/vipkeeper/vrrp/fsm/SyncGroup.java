package io.vipkeeper.vrrp.fsm;

import java.util.List;

/**
 * Routers that change state together (keepalived's vrrp_sync_group): when one becomes Master the
 * others follow from Backup, when one yields to a better master the others yield, and while one is
 * in Fault all are. The group takes over only when every member's Master_Down_Timer has fired.
 * Transitions made by the group itself do not propagate again.
 */
public final class SyncGroup {
    /** The fault source name the group uses on its members. */
    public static final String FAULT_SOURCE = "sync-group";

    private final String name;
    private final List<VirtualRouter> members;

    /** Links {@code members}; call before starting them. All must share one scheduler. */
    public SyncGroup(String name, List<VirtualRouter> members) {
        this.name = name;
        this.members = List.copyOf(members);
        for (VirtualRouter m : this.members) {
            m.addListener(t -> follow(m, t));
            m.addFaultListener(this::shareFaults);
            m.setMasterGate(this::mayBecomeMaster);
        }
    }

    /** The group's name. */
    public String name() {
        return name;
    }

    private void follow(VirtualRouter source, Transition t) {
        // A member resigning for maintenance hands over on its own (the operator puts the whole
        // group in maintenance, each member resigning gracefully): following it would drop a
        // member's addresses before its successor advertised.
        if (t.reason() == TransitionReason.SYNC_GROUP || t.reason() == TransitionReason.SHUTDOWN
                || t.reason() == TransitionReason.MAINTENANCE || t.from() == RouterState.FAULT) {
            return;
        }
        if (t.to() == RouterState.MASTER || t.to() == RouterState.BACKUP) {
            for (VirtualRouter m : members) {
                if (m != source) {
                    m.followGroup(t.to(), t.router());
                }
            }
        }
    }

    /** Each member carries the group's fault while any other member has a fault of its own. */
    private void shareFaults() {
        for (VirtualRouter m : members) {
            String culprit = members.stream().filter(o -> o != m && hasOwnFault(o)).map(o -> o.config().name())
                    .findFirst().orElse(null);
            m.setFault(FAULT_SOURCE, culprit == null ? null : culprit + " in fault (" + name + ")");
        }
    }

    /**
     * A member takes over only when every other member would too (its own Master_Down_Timer
     * fired) or already is master: otherwise members with different peers' priorities flap.
     */
    private boolean mayBecomeMaster(VirtualRouter candidate) {
        return members.stream().allMatch(m -> m == candidate || m.state() == RouterState.MASTER
                || (m.state() == RouterState.BACKUP && m.wantsMaster()));
    }

    private static boolean hasOwnFault(VirtualRouter m) {
        return m.faults().keySet().stream().anyMatch(k -> !k.equals(FAULT_SOURCE));
    }
}
