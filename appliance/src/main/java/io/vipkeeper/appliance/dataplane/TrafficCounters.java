package io.vipkeeper.appliance.dataplane;

/**
 * Traffic counters of a service or backend (IPVS: IPVS_STATS_ATTR_*, from STATS64).
 *
 * @param connections connections scheduled
 * @param inPackets packets in
 * @param outPackets packets out
 * @param inBytes bytes in
 * @param outBytes bytes out
 */
public record TrafficCounters(long connections, long inPackets, long outPackets, long inBytes, long outBytes) {
    /** All zero. */
    public static final TrafficCounters ZERO = new TrafficCounters(0, 0, 0, 0, 0);
}
