package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

/**
 * Encapsulation of tun forwarding. The IPVS engine maps it to IPVS_DEST_ATTR_TUN_TYPE (GUE and GRE
 * need Linux 5.3/5.4).
 */
public enum TunnelType implements ConfigName {
    /** IP in IP (the classic, default). */
    IPIP("ipip"),
    /** Generic UDP Encapsulation, to a UDP port on the real server. */
    GUE("gue"),
    /** GRE. */
    GRE("gre");

    private final String configName;

    TunnelType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
