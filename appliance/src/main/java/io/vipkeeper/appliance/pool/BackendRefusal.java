package io.vipkeeper.appliance.pool;

/** A runtime backend order refused, with why; nothing changed. */
public final class BackendRefusal extends Exception {
    /** Why, as the API maps it to an HTTP status and a metric label. */
    public enum Reason {
        /** No virtual server of that name in the config. */
        UNKNOWN_VIRTUAL_SERVER("unknown_virtual_server"),
        /** The virtual server has no such backend in the config. */
        UNKNOWN_BACKEND("unknown_backend"),
        /** {@code backend add} of a backend the virtual server has already (in the file or at runtime). */
        DUPLICATE("duplicate"),
        /** {@code backend remove} of a backend of the file: only runtime backends are removed at runtime. */
        CONFIG_BACKEND("config_backend"),
        /** The order itself is wrong (a weight out of range, an address that is not one). */
        BAD_REQUEST("bad_request"),
        /** The state could not be written to the state directory. */
        NOT_SAVED("not_saved");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** The metric label. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;

    /** A refusal for {@code reason}, explained by {@code message}. */
    public BackendRefusal(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }
}
