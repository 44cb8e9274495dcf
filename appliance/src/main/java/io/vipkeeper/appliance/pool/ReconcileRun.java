package io.vipkeeper.appliance.pool;

/** Why a reconcile runs; decides how its changes are logged and counted. */
public enum ReconcileRun {
    /** The first run at start: programming, not repairs. */
    START("programmed"),
    /** After a reload: the config changed, so do the changes. */
    RELOAD("reload"),
    /** After health changes: the pool policy logged each decision already. */
    HEALTH("health"),
    /** After an operator's runtime order (vipkeeper backend ...), which the log has with its author already. */
    ADMIN("runtime change"),
    /** A periodic run: every change repairs drift someone caused by hand. */
    PERIODIC("repaired drift");

    private final String label;

    ReconcileRun(String label) {
        this.label = label;
    }

    /** How log lines name the run: "ipvs repaired drift: ...". */
    public String label() {
        return label;
    }
}
