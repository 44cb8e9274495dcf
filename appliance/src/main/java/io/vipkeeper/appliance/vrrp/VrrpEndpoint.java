package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.vrrp.fsm.VrrpDispatcher;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;

/** A transport and the dispatcher that routes its adverts to routers by VRID. */
final class VrrpEndpoint {
    /**
     * Instances share an endpoint when they share interface, family, source, group membership
     * and AH key.
     */
    record Key(String ifname, boolean ipv6, InetAddress source, boolean joinGroup, String ahKey) {
    }

    final VrrpTransport transport;
    final VrrpDispatcher dispatcher;
    int users;

    VrrpEndpoint(VrrpTransport transport, io.vipkeeper.vrrp.fsm.RouterCounters unattributed) {
        this.transport = transport;
        this.dispatcher = new VrrpDispatcher(transport, unattributed);
    }
}
