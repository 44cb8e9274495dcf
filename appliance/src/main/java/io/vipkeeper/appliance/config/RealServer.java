package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendTunnel;
import io.vipkeeper.appliance.dataplane.Forwarding;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A backend of a virtual server.
 *
 * @param address the real server's address
 * @param port its port (the virtual server's port unless given)
 * @param weight scheduling weight 0..65535
 * @param forwarding how the data plane reaches it
 * @param healthCheck its check (the virtual server's, with any overrides)
 * @param upperThreshold connections above which it takes no new ones (0 = no limit)
 * @param lowerThreshold connections below which it takes new ones again after the upper one
 * @param tunnel encapsulation when forwarding is tun
 * @param notifyUp program run as {@code PROGRAM VIRTUAL-SERVER REAL-SERVER UP} when it comes up
 * @param notifyDown program run as {@code PROGRAM VIRTUAL-SERVER REAL-SERVER DOWN} when it goes down (a
 *     real server's notifications are coalesced to the latest when its programs fall behind)
 */
public record RealServer(InetAddress address, int port, int weight, Forwarding forwarding, HealthCheck healthCheck,
        int upperThreshold, int lowerThreshold, BackendTunnel tunnel, Optional<Program> notifyUp,
        Optional<Program> notifyDown) {

    /** A real server without notify programs. */
    public RealServer(InetAddress address, int port, int weight, Forwarding forwarding, HealthCheck healthCheck,
            int upperThreshold, int lowerThreshold, BackendTunnel tunnel) {
        this(address, port, weight, forwarding, healthCheck, upperThreshold, lowerThreshold, tunnel, Optional.empty(),
                Optional.empty());
    }

    /** Its identity within its virtual server, as the data plane keys backends. */
    public BackendKey key() {
        return new BackendKey(address, port);
    }

    /** {@code ADDR:PORT}, for messages. */
    public String identity() {
        return Addresses.format(new InetSocketAddress(address, port));
    }
}
