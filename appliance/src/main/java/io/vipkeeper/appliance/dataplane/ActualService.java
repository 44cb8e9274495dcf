package io.vipkeeper.appliance.dataplane;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service of the actual table, as the data plane reports it, with its backends.
 *
 * @param spec settable fields (flags as reported, including kernel-internal bits)
 * @param dests destinations by identity
 * @param stats traffic counters
 */
public record ActualService(ServiceSpec spec, Map<BackendKey, ActualBackend> dests, TrafficCounters stats) {
    /** Copies the destinations, keeping their order. */
    public ActualService {
        dests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dests));
    }
}
