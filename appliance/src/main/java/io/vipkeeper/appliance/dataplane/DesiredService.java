package io.vipkeeper.appliance.dataplane;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service of the desired table: what pool policy wants in the kernel, its spec and its
 * backends at their effective weights. The shared reconciler turns the difference to the actual
 * table into {@link TableChange}s.
 *
 * @param spec the service's settable fields
 * @param dests the destinations by identity
 * @param removeNow destinations to delete at once rather than drain (failed health, the sorry
 *     server once the quorum is back), each with the reason
 */
public record DesiredService(ServiceSpec spec, Map<BackendKey, BackendSpec> dests, Map<BackendKey, String> removeNow) {
    /** Copies the maps, keeping their order. */
    public DesiredService {
        dests = Collections.unmodifiableMap(new LinkedHashMap<>(dests));
        removeNow = Collections.unmodifiableMap(new LinkedHashMap<>(removeNow));
    }

    /** A service whose unwanted destinations all drain. */
    public DesiredService(ServiceSpec spec, Map<BackendKey, BackendSpec> dests) {
        this(spec, dests, Map.of());
    }
}
