package io.vipkeeper.appliance.pool;

/**
 * A backend's runtime state on this node: its admin state and the weight the operator set, if any.
 *
 * @param state enabled, drained or disabled
 * @param weight the runtime weight override 0..65535; null when the config's weight applies
 */
public record BackendAdmin(AdminState state, Integer weight) {
    /** What a backend nobody touched has: enabled at its config weight. */
    public static final BackendAdmin DEFAULT = new BackendAdmin(AdminState.ENABLED, null);
    /** The highest weight a backend can have (the kernel's and the config's limit). */
    public static final int MAX_WEIGHT = 65535;

    /** Checks the weight's range. */
    public BackendAdmin {
        if (state == null) {
            throw new IllegalArgumentException("no admin state");
        }
        if (weight != null && (weight < 0 || weight > MAX_WEIGHT)) {
            throw new IllegalArgumentException("weight " + weight + " is outside 0.." + MAX_WEIGHT);
        }
    }

    /** Where the weight comes from: {@code runtime} when overridden, else {@code config}. */
    public String origin() {
        return weight == null ? "config" : "runtime";
    }

    /** Whether this is the untouched state (nothing to persist). */
    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** In words, for logs and the CLI: "drained", "enabled, weight 3 (runtime)". */
    public String describe() {
        return state.label() + (weight == null ? "" : ", weight " + weight + " (runtime)");
    }
}
