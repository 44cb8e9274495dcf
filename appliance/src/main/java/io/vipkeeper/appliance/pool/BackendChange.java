package io.vipkeeper.appliance.pool;

/**
 * A runtime backend order carried out.
 *
 * @param virtualServer the virtual server's name
 * @param backend the backend as {@code ADDR:PORT}
 * @param before its runtime state before
 * @param after its runtime state now (persisted, and the kernel told)
 * @param configWeight its weight in the config
 */
public record BackendChange(String virtualServer, String backend, BackendAdmin before, BackendAdmin after,
        int configWeight) {
    /** Whether the order changed anything. */
    public boolean changed() {
        return !before.equals(after);
    }

    /** The weight the backend has while up: 0 when drained or disabled, else runtime or config weight. */
    public int weight() {
        return after.state() != AdminState.ENABLED ? 0 : after.weight() != null ? after.weight() : configWeight;
    }
}
