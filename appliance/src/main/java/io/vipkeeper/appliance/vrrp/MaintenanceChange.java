package io.vipkeeper.appliance.vrrp;

import java.util.List;

/**
 * A maintenance order carried out, as the control socket answers it.
 *
 * @param instance the instance named in the order
 * @param syncGroup its sync group, whose every member the order applied to; null when it has none
 * @param maintenance whether the instances are in maintenance now
 * @param changed false when they were in that state already (a no-op)
 * @param members what happened to each instance the order applied to, in config order
 */
public record MaintenanceChange(String instance, String syncGroup, boolean maintenance, boolean changed,
        List<Member> members) {

    /** Copies the list. */
    public MaintenanceChange {
        members = List.copyOf(members);
    }

    /**
     * What happened to one instance.
     *
     * @param name the instance
     * @param outcome not_master, handed_over, released_to_nobody, left (maintenance off) or unchanged
     * @param newMaster the router that took over its VIPs, or null
     * @param waitedMs how long it waited for that router's advert
     * @param state its state now
     */
    public record Member(String name, String outcome, String newMaster, long waitedMs, String state) {
    }
}
