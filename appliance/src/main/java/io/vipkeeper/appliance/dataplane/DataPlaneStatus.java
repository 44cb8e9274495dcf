package io.vipkeeper.appliance.dataplane;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What status, health and metrics read from the loop that keeps a data plane in line with the
 * config: the actual table with its counters as last dumped, and the loop's own counters. Every
 * method may be called from any thread.
 */
public interface DataPlaneStatus {
    /** The actual table as the last run dumped it, with counters; empty before the first dump. */
    Optional<Map<ServiceKey, ActualService>> lastTable();

    /** When {@link #lastTable()} was read from the kernel. */
    Optional<Instant> lastTableAt();

    /** Why the last run could not read or program the kernel; empty after one that could. */
    Optional<String> lastError();

    /** Reconcile runs so far. */
    long runs();

    /** Changes made to the kernel (programming and repairs). */
    long changes();

    /** Changes that repaired drift found by a periodic run. */
    long repairs();

    /** Refused changes and failed runs. */
    long failures();
}
