package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;

/**
 * The scope a virtual address is put on its interface with (ifa_scope, as {@code ip addr add ...
 * scope}; values from include/uapi/linux/rtnetlink.h rt_scope_t). Append-only.
 */
public enum AddressScope implements ConfigName {
    /** RT_SCOPE_UNIVERSE: reachable from anywhere (the default). */
    GLOBAL("global", 0),
    /** RT_SCOPE_SITE (IPv6 site-local; kept for keepalived's spelling). */
    SITE("site", 200),
    /** RT_SCOPE_LINK: valid on this link only. */
    LINK("link", 253),
    /** RT_SCOPE_HOST: valid inside this host only. */
    HOST("host", 254),
    /** RT_SCOPE_NOWHERE. */
    NOWHERE("nowhere", 255);

    private final String configName;
    private final int value;

    AddressScope(String configName, int value) {
        this.configName = configName;
        this.value = value;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The kernel's number. */
    public int value() {
        return value;
    }
}
