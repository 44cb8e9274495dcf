package io.vipkeeper.appliance.pool;

/**
 * A runtime backend order carried out.
 *
 * @param virtualServer the virtual server's name
 * @param backend the backend as {@code ADDR:PORT}
 * @param before its runtime state before
 * @param after its runtime state now (persisted, and the kernel told)
 * @param configWeight its weight in the config (a runtime backend's: the weight it was added at)
 * @param origin {@code config} for a backend of the file, {@code runtime} for one added at runtime
 * @param event {@code added} or {@code removed} for {@code backend add|remove}; null for a state order
 */
public record BackendChange(String virtualServer, String backend, BackendAdmin before, BackendAdmin after,
        int configWeight, String origin, String event) {
    /** A state order's change of a backend of {@code origin}. */
    public BackendChange(String virtualServer, String backend, BackendAdmin before, BackendAdmin after,
            int configWeight, String origin) {
        this(virtualServer, backend, before, after, configWeight, origin, null);
    }

    /** Whether the order changed anything. */
    public boolean changed() {
        return event != null || !before.equals(after);
    }

    /** The weight the backend has while up: 0 when drained or disabled, else runtime or config weight. */
    public int weight() {
        return after.state() != AdminState.ENABLED ? 0 : after.weight() != null ? after.weight() : configWeight;
    }
}
