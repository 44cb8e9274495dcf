package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;

/**
 * The kind of a virtual route (rtm_type, as {@code ip route add TYPE ...}; numbers from
 * include/uapi/linux/rtnetlink.h). Append-only.
 */
public enum RouteType implements ConfigName {
    /** RTN_UNICAST: a route through a gateway or an interface (the default). */
    UNICAST("unicast", 1),
    /** RTN_BLACKHOLE: packets are dropped silently. */
    BLACKHOLE("blackhole", 6),
    /** RTN_UNREACHABLE: packets are dropped, the sender gets host unreachable. */
    UNREACHABLE("unreachable", 7),
    /** RTN_PROHIBIT: packets are dropped, the sender gets administratively prohibited. */
    PROHIBIT("prohibit", 8),
    /** RTN_THROW: the lookup goes on with the next policy rule. */
    THROW("throw", 9);

    private final String configName;
    private final int value;

    RouteType(String configName, int value) {
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
