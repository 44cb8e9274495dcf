package io.vipkeeper.appliance.ipvs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A virtual service as the kernel reports it, with its destinations.
 *
 * @param spec settable fields (flags as reported, including kernel-internal bits)
 * @param dests destinations by identity
 * @param stats traffic counters
 */
public record KernelService(ServiceSpec spec, Map<DestKey, KernelDest> dests, IpvsStats stats) {
    /** Copies the destinations, keeping their order. */
    public KernelService {
        dests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dests));
    }
}
