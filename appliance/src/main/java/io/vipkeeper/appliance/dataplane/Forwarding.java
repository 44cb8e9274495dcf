package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

/**
 * How a backend is reached: rewrite the destination (NAT), route the unchanged packet on the link
 * (DR, the backend holds the VIP too) or encapsulate it (TUN). An engine that cannot do one says so
 * in its {@link Capabilities}; the IPVS engine maps them to {@code IP_VS_CONN_F_*}.
 */
public enum Forwarding implements ConfigName {
    /** Masquerading (NAT): IP_VS_CONN_F_MASQ. */
    NAT("nat"),
    /** IP-in-IP or GUE/GRE tunnelling: IP_VS_CONN_F_TUNNEL. */
    TUN("tun"),
    /** Direct routing: IP_VS_CONN_F_DROUTE. */
    DR("dr");

    private final String configName;

    Forwarding(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
