package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the reconcile runs counted and last saw, for status and metrics: written on the reconcile
 * thread, read from any thread.
 */
final class ReconcileCounters implements DataPlaneStatus {
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong repairs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Why the last run could not read or program the kernel; null after a run that could. */
    private volatile String lastError;
    /** The kernel's table as the last run dumped it (with counters); null before one. */
    private volatile Map<ServiceKey, ActualService> lastTable;
    /** When {@code lastTable} was dumped. */
    private volatile Instant lastTableAt;
    /** Dump, plan and apply of the last run, to the last ACK. */
    private volatile long lastRunNanos;

    /** A run starts. */
    void run() {
        runs.incrementAndGet();
    }

    /** The run dumped {@code table}. */
    void tableRead(Map<ServiceKey, ActualService> table) {
        lastTable = table;
        lastTableAt = Instant.now();
    }

    /** The run read the table and sent its changes in {@code nanos}. */
    void ranFor(long nanos) {
        lastRunNanos = nanos;
        lastError = null;
    }

    /** A change the kernel took; {@code repair} when it repaired drift. */
    void changed(boolean repair) {
        changes.incrementAndGet();
        if (repair) {
            repairs.incrementAndGet();
        }
    }

    /** A refused change, or a step that failed while the kernel was reachable. */
    void failed() {
        failures.incrementAndGet();
    }

    /** The run could not read or program the kernel, because of {@code why}. */
    void runFailed(String why) {
        failures.incrementAndGet();
        lastError = why;
    }

    /** How long the last good run took, in nanoseconds. */
    long lastRunNanos() {
        return lastRunNanos;
    }

    @Override
    public Optional<Map<ServiceKey, ActualService>> lastTable() {
        return Optional.ofNullable(lastTable);
    }

    @Override
    public Optional<Instant> lastTableAt() {
        return Optional.ofNullable(lastTableAt);
    }

    @Override
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    @Override
    public long runs() {
        return runs.get();
    }

    @Override
    public long changes() {
        return changes.get();
    }

    @Override
    public long repairs() {
        return repairs.get();
    }

    @Override
    public long failures() {
        return failures.get();
    }
}
