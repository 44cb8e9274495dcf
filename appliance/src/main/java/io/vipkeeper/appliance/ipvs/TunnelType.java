package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.config.ConfigName;

/**
 * Encapsulation of tun forwarding: IPVS_DEST_ATTR_TUN_TYPE (include/uapi/linux/ip_vs.h
 * IP_VS_CONN_F_TUNNEL_TYPE_*). The kernel's numbers, append-only. GUE and GRE need Linux 5.3/5.4.
 */
public enum TunnelType implements ConfigName {
    /** IP in IP (the classic, default). */
    IPIP("ipip", 0),
    /** Generic UDP Encapsulation, to a UDP port on the real server. */
    GUE("gue", 1),
    /** GRE. */
    GRE("gre", 2);

    private final String configName;
    private final int kernelValue;

    TunnelType(String configName, int kernelValue) {
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

    /** The type with kernel value {@code v}. */
    public static java.util.Optional<TunnelType> ofKernel(int v) {
        return java.util.Arrays.stream(values()).filter(t -> t.kernelValue == v).findFirst();
    }
}
