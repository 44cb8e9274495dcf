package io.vipkeeper.appliance.api;

import io.vipkeeper.appliance.vrrp.MaintenanceChange;
import io.vipkeeper.appliance.vrrp.MaintenanceRefusal;

/** What the control socket's VRRP write requests reach: the operator's maintenance of an instance. */
public interface VrrpControl {
    /**
     * Puts {@code instance} (with its sync group) in maintenance ({@code on}) or takes it out, and
     * returns once a master's resignation ended; {@code force} releases the VIPs even when nobody
     * would hold them; {@code who} names the peer for the log.
     *
     * @throws MaintenanceRefusal when it cannot be done; nothing changed
     */
    MaintenanceChange maintenance(String instance, boolean on, boolean force, String who) throws MaintenanceRefusal;
}
