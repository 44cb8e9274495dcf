package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.config.ConfigName;

/**
 * Checksums of GUE/GRE tunnel packets: IPVS_DEST_ATTR_TUN_FLAGS (IP_VS_TUNNEL_ENCAP_FLAG_*).
 * The kernel's numbers, append-only.
 */
public enum TunnelChecksum implements ConfigName {
    /** No checksum (IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM). */
    NONE("none", 0),
    /** Outer checksum (IP_VS_TUNNEL_ENCAP_FLAG_CSUM). */
    CSUM("csum", 1),
    /** Remote checksum offload (IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM). */
    REMCSUM("remcsum", 2);

    private final String configName;
    private final int kernelValue;

    TunnelChecksum(String configName, int kernelValue) {
        this.configName = configName;
        this.kernelValue = kernelValue;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The attribute's value. */
    public int kernelValue() {
        return kernelValue;
    }

    /** The flag with kernel value {@code v}. */
    public static java.util.Optional<TunnelChecksum> ofKernel(int v) {
        return java.util.Arrays.stream(values()).filter(t -> t.kernelValue == v).findFirst();
    }
}
