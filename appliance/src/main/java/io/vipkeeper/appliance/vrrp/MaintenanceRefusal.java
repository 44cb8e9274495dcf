package io.vipkeeper.appliance.vrrp;

/** Why an order to put a VRRP instance in maintenance (or take it out) was not carried out; nothing changed. */
public final class MaintenanceRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of refusal; the labels appear in metrics. */
    public enum Reason {
        /** No instance of that name in the config. */
        UNKNOWN_INSTANCE("unknown_instance"),
        /** Nobody would hold the VIPs, and {@code --force} was not given. */
        NO_PEER("no_peer"),
        /** The state file could not be written. */
        NOT_SAVED("not_saved");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** Lower-case label for metrics. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;

    /** A refusal for {@code reason}, said in {@code message}. */
    public MaintenanceRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }
}
