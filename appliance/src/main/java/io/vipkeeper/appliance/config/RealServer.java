package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ipvs.Forwarding;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A backend of a virtual server.
 *
 * @param address the real server's address
 * @param port its port (the virtual server's port unless given)
 * @param weight scheduling weight 0..65535
 * @param forwarding how IPVS reaches it
 * @param healthCheck its check (the virtual server's, with any overrides)
 */
public record RealServer(InetAddress address, int port, int weight, Forwarding forwarding, HealthCheck healthCheck) {

    /** {@code ADDR:PORT}, for messages. */
    public String identity() {
        return Addresses.format(new InetSocketAddress(address, port));
    }
}
