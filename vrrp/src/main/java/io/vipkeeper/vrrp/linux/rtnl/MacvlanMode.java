package io.vipkeeper.vrrp.linux.rtnl;

/**
 * How a macvlan treats frames between it and its siblings on one lower link (IFLA_MACVLAN_MODE,
 * enum macvlan_mode in linux/if_link.h). Numbering is the kernel's; append only.
 */
public enum MacvlanMode {
    /**
     * No frames between siblings. Also: a multicast frame whose source MAC is this macvlan's
     * (a peer with the same virtual MAC) reaches this macvlan only, not the lower link, which is
     * why keepalived listens for adverts on the vmac.
     */
    PRIVATE(1, "private"),
    /** Frames between siblings are switched in the kernel. */
    BRIDGE(4, "bridge");

    private final int value;
    private final String configName;

    MacvlanMode(int value, String configName) {
        this.value = value;
        this.configName = configName;
    }

    /** The kernel's number. */
    public int value() {
        return value;
    }

    /** The word in the config file. */
    public String configName() {
        return configName;
    }

    /** The mode called {@code name} in the config, if any. */
    public static java.util.Optional<MacvlanMode> byConfigName(String name) {
        for (MacvlanMode m : values()) {
            if (m.configName.equals(name)) {
                return java.util.Optional.of(m);
            }
        }
        return java.util.Optional.empty();
    }
}
