package io.vipkeeper.appliance.dataplane;

/**
 * A backend as the data plane reports it: its spec, connection counts and traffic counters.
 *
 * @param spec settable fields
 * @param activeConnections established connections
 * @param inactiveConnections connections not (or no longer) established
 * @param persistentConnections persistence entries (templates) pointing at it
 * @param stats traffic counters
 * @param overloaded whether the engine takes it out of scheduling for being at its upper
 *     connection threshold ({@link BackendSpec#upperThreshold()}); null when it has none or the
 *     engine does not say (IPVS keeps that flag in the kernel and does not report it)
 */
public record ActualBackend(BackendSpec spec, long activeConnections, long inactiveConnections, long persistentConnections,
        TrafficCounters stats, Boolean overloaded) {
    /** A backend whose overload the engine does not report. */
    public ActualBackend(BackendSpec spec, long activeConnections, long inactiveConnections, long persistentConnections,
            TrafficCounters stats) {
        this(spec, activeConnections, inactiveConnections, persistentConnections, stats, null);
    }

    /** This backend with other connection counts, the rest kept. */
    public ActualBackend withConnections(long active, long inactive) {
        return new ActualBackend(spec, active, inactive, persistentConnections, stats, overloaded);
    }
}
