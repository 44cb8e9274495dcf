package io.vipkeeper.appliance.ipvs;

/**
 * The settable part of a destination (IPVS_DEST_ATTR_*): what NEW/SET_DEST carry.
 *
 * @param key identity within the service
 * @param forwarding NAT, DR or TUN
 * @param weight scheduling weight; 0 takes no new connections
 * @param upperThreshold connection limit, 0 = none
 * @param lowerThreshold connections below which an overloaded server is used again, 0 = none
 * @param tunnel encapsulation for tun forwarding ({@link DestTunnel#IPIP} otherwise)
 */
public record DestSpec(DestKey key, Forwarding forwarding, int weight, int upperThreshold, int lowerThreshold,
        DestTunnel tunnel) {
    /** A destination with plain IP-in-IP tunnelling (the kernel's default). */
    public DestSpec(DestKey key, Forwarding forwarding, int weight, int upperThreshold, int lowerThreshold) {
        this(key, forwarding, weight, upperThreshold, lowerThreshold, DestTunnel.IPIP);
    }


    /** This destination with another weight (0 to drain it). */
    public DestSpec withWeight(int newWeight) {
        return new DestSpec(key, forwarding, newWeight, upperThreshold, lowerThreshold, tunnel);
    }
}
