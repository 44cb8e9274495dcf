package io.vipkeeper.appliance.dataplane;

import java.util.List;
import java.util.Map;

/**
 * One data plane engine: the kernel table that forwards virtual services to backends, seen through
 * the neutral model. The shared reconciler dumps the actual table, plans {@link TableChange}s from
 * the desired one and hands them over here; the engine only maps them to its kernel interface and
 * reports what the kernel refused. It decides no policy (weights, drain, health are decided before)
 * and touches only the services it is told about. Used from one thread.
 */
public interface DataPlane extends AutoCloseable {
    /** What this engine can express, so a config asking for more is refused before it runs. */
    Capabilities capabilities();

    /** The actual table: every service with its backends and counters, in the kernel's order. */
    Map<ServiceKey, ActualService> table();

    /**
     * The next {@link #table()} reads the kernel's table whole, even where the engine would answer
     * from the last read: the reconciler asks before a run for a reload, a health change or an
     * order, which plans against the exact table. An engine that always reads whole ignores it.
     */
    default void readWholeNext() {
    }

    /** Carries out {@code changes} in order; a refused one does not stop the rest. Returns the refused ones. */
    List<Failure> apply(List<TableChange> changes);

    @Override
    void close();

    /**
     * One change that the kernel refused.
     *
     * @param op the change
     * @param error the kernel's answer (its message names the errno)
     */
    record Failure(TableChange op, RuntimeException error) {
    }
}
