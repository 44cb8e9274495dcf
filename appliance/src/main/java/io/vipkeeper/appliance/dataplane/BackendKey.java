package io.vipkeeper.appliance.dataplane;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Identity of a backend (real server) within a service: address and port. */
public record BackendKey(InetAddress address, int port) {
    @Override
    public String toString() {
        return NetUtil.toSocketAddressString(new InetSocketAddress(address, port));
    }
}
