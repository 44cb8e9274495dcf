package io.vipkeeper.appliance.ipvs;

/**
 * A destination as the kernel reports it.
 *
 * @param spec settable fields
 * @param activeConnections IPVS_DEST_ATTR_ACTIVE_CONNS
 * @param inactiveConnections IPVS_DEST_ATTR_INACT_CONNS
 * @param persistentConnections IPVS_DEST_ATTR_PERSIST_CONNS
 * @param stats traffic counters
 */
public record KernelDest(DestSpec spec, long activeConnections, long inactiveConnections, long persistentConnections,
        IpvsStats stats) {
}
