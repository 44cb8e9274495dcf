package io.vipkeeper.appliance.dataplane;

/**
 * A backend as the data plane reports it: its spec, connection counts and traffic counters.
 *
 * @param spec settable fields
 * @param activeConnections established connections
 * @param inactiveConnections connections not (or no longer) established
 * @param persistentConnections persistence entries (templates) pointing at it
 * @param stats traffic counters
 */
public record ActualBackend(BackendSpec spec, long activeConnections, long inactiveConnections, long persistentConnections,
        TrafficCounters stats) {
}
