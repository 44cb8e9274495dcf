package io.vipkeeper.vrrp.fsm;

/** Why a virtual router changed state. Append-only: the labels appear in status and metrics. */
public enum TransitionReason {
    /** Started with priority 255: the addresses are ours (RFC 9568 §6.4.1). */
    ADDRESS_OWNER("address_owner"),
    /** Started, or left Fault, as a backup (RFC 9568 §6.4.1). */
    STARTUP("startup"),
    /** Master_Down_Timer fired: no advert from a master for Master_Down_Interval. */
    MASTER_DOWN("master_down"),
    /** Master_Down_Timer fired after the master sent priority 0 (it stopped). */
    MASTER_STOPPED("master_stopped"),
    /** Took over from a master with a lower priority whose adverts we discarded. */
    PREEMPT("preempt"),
    /** A master heard a higher priority (or an equal one from a higher address). */
    HIGHER_PRIORITY("higher_priority"),
    /** A tracked interface or script failed, or the interface went down. */
    FAULT("fault"),
    /** The fault cleared. */
    FAULT_CLEARED("fault_cleared"),
    /** Stopped by the operator (SIGTERM, reload removing the instance). */
    SHUTDOWN("shutdown"),
    /** Followed another member of its sync group. */
    SYNC_GROUP("sync_group"),
    /** The operator put it in maintenance: a master resigned to a new master (priority 0 first). */
    MAINTENANCE("maintenance");

    private final String label;

    TransitionReason(String label) {
        this.label = label;
    }

    /** Lower-case label for logs and metrics. */
    public String label() {
        return label;
    }
}
