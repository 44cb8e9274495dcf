package io.vipkeeper.appliance.dataplane;

/**
 * The settable part of a backend: what the desired table says about it and what the data plane
 * programs (IPVS maps it to IPVS_DEST_ATTR_*).
 *
 * @param key identity within the service
 * @param forwarding NAT, DR or TUN
 * @param weight scheduling weight; 0 takes no new connections
 * @param upperThreshold connection limit, 0 = none
 * @param lowerThreshold connections below which an overloaded server is used again, 0 = none
 * @param tunnel encapsulation for tun forwarding ({@link BackendTunnel#IPIP} otherwise)
 */
public record BackendSpec(BackendKey key, Forwarding forwarding, int weight, int upperThreshold, int lowerThreshold,
        BackendTunnel tunnel) {
    /** A destination with plain IP-in-IP tunnelling (the kernel's default). */
    public BackendSpec(BackendKey key, Forwarding forwarding, int weight, int upperThreshold, int lowerThreshold) {
        this(key, forwarding, weight, upperThreshold, lowerThreshold, BackendTunnel.IPIP);
    }


    /** This destination with another weight (0 to drain it). */
    public BackendSpec withWeight(int newWeight) {
        return new BackendSpec(key, forwarding, newWeight, upperThreshold, lowerThreshold, tunnel);
    }
}
