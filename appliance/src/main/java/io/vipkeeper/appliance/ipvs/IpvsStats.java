package io.vipkeeper.appliance.ipvs;

/**
 * Traffic counters of a service or destination (IPVS_STATS_ATTR_*, from STATS64).
 *
 * @param connections connections scheduled
 * @param inPackets packets in
 * @param outPackets packets out
 * @param inBytes bytes in
 * @param outBytes bytes out
 */
public record IpvsStats(long connections, long inPackets, long outPackets, long inBytes, long outBytes) {
    /** All zero. */
    public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0);
}
