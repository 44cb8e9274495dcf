package io.vipkeeper.appliance.pool;

import java.util.Locale;
import java.util.Optional;

/** An operator's runtime order for one backend, as {@code vipkeeper backend ACTION} gives it. */
public enum BackendOrder {
    /** Weight 0 until enabled: no new connections, established ones finish. */
    DRAIN,
    /** Out of the table now. */
    DISABLE,
    /** Back to the config: enabled, at the config weight (drops a runtime weight). */
    ENABLE,
    /** A runtime weight in place of the config's; the admin state stays. */
    WEIGHT,
    /** A runtime backend that is not in the file, checked with the service's check (not an admin state). */
    ADD,
    /** A runtime backend drained, then deleted (not an admin state; the file's backends are refused). */
    REMOVE;

    /** The lower-case name the API's paths and the CLI use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The order named {@code label}; empty for anything else. */
    public static Optional<BackendOrder> of(String label) {
        for (BackendOrder o : values()) {
            if (o.label().equals(label)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The state after this order on {@code before}; {@code weight} only for {@link #WEIGHT}. */
    public BackendAdmin apply(BackendAdmin before, Integer weight) {
        return switch (this) {
            case DRAIN -> new BackendAdmin(AdminState.DRAINED, before.weight());
            case DISABLE -> new BackendAdmin(AdminState.DISABLED, before.weight());
            case ENABLE -> BackendAdmin.DEFAULT;
            case WEIGHT -> new BackendAdmin(before.state(), weight);
            case ADD, REMOVE -> throw new IllegalStateException(label() + " adds or removes a backend, not a state");
        };
    }
}
