package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

/**
 * Checksums of GUE/GRE tunnel packets. The IPVS engine maps them to IPVS_DEST_ATTR_TUN_FLAGS.
 */
public enum TunnelChecksum implements ConfigName {
    /** No checksum (IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM). */
    NONE("none"),
    /** Outer checksum (IP_VS_TUNNEL_ENCAP_FLAG_CSUM). */
    CSUM("csum"),
    /** Remote checksum offload (IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM). */
    REMCSUM("remcsum");

    private final String configName;

    TunnelChecksum(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
