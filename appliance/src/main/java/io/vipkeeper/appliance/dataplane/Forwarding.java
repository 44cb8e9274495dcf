package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

/**
 * How a backend is reached: rewrite the destination (NAT), route the unchanged packet on the link
 * (DR, the backend holds the VIP too), encapsulate it (TUN) or rewrite UDP without connection
 * state (STATELESS_NAT, nftables only). An engine that cannot do one says so
 * in its {@link Capabilities}; the IPVS engine maps them to {@code IP_VS_CONN_F_*}.
 */
public enum Forwarding implements ConfigName {
    /** Masquerading (NAT): IP_VS_CONN_F_MASQ. */
    NAT("nat"),
    /** IP-in-IP or GUE/GRE tunnelling: IP_VS_CONN_F_TUNNEL. */
    TUN("tun"),
    /** Direct routing: IP_VS_CONN_F_DROUTE. */
    DR("dr"),
    /**
     * Stateless NAT of UDP (nftables only, no IPVS number): each datagram's destination rewritten
     * to a backend hashed from the client's address and port, the replies' source back to the
     * VIP, without connection tracking.
     */
    STATELESS_NAT("stateless-nat");

    private final String configName;

    Forwarding(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
