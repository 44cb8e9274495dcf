package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;

/** {@code vipkeeper.data-plane}: which engine forwards the virtual servers. */
public enum DataPlaneChoice implements ConfigName {
    /** IPVS where the kernel has it or can load it, else nftables. */
    AUTO("auto"),
    /** The kernel's IPVS, through generic netlink. */
    IPVS("ipvs"),
    /** nftables, through libnftables. */
    NFTABLES("nftables");

    private final String configName;

    DataPlaneChoice(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
