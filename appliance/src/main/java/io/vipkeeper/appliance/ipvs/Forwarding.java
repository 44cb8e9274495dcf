package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.config.ConfigName;

/**
 * How IPVS forwards packets to a real server: the kernel's {@code IP_VS_CONN_F_*} forwarding
 * method (include/uapi/linux/ip_vs.h). Numbering is the kernel's and append-only.
 */
public enum Forwarding implements ConfigName {
    /** Masquerading (NAT): IP_VS_CONN_F_MASQ. */
    NAT("nat", 0),
    /** IP-in-IP or GUE/GRE tunnelling: IP_VS_CONN_F_TUNNEL. */
    TUN("tun", 2),
    /** Direct routing: IP_VS_CONN_F_DROUTE. */
    DR("dr", 3);

    private final String configName;
    private final int kernelValue;

    Forwarding(String configName, int kernelValue) {
        this.configName = configName;
        this.kernelValue = kernelValue;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The value of IPVS_DEST_ATTR_FWD_METHOD. */
    public int kernelValue() {
        return kernelValue;
    }
}
