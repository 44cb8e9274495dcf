package io.vipkeeper.appliance.pool;

import java.util.Locale;

/**
 * What the operator made of a backend at runtime ({@code vipkeeper backend drain|disable|enable}),
 * beside its health; see {@link PoolPolicy#effective} for what each does to the kernel.
 */
public enum AdminState {
    /** As the config and health say (the state every backend starts in). */
    ENABLED,
    /** Weight 0: takes no new connections, its established ones finish (the data plane's drain). */
    DRAINED,
    /** Out of the table now, as a failed health check would take it out. */
    DISABLED;

    /** The lower-case name the API, status and state file use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code label}; empty for anything else. */
    public static java.util.Optional<AdminState> of(String label) {
        for (AdminState s : values()) {
            if (s.label().equals(label)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
