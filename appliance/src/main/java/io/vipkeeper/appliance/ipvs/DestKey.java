package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.config.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Identity of a destination (real server) within a service: address and port. */
public record DestKey(InetAddress address, int port) {
    @Override
    public String toString() {
        return Addresses.format(new InetSocketAddress(address, port));
    }
}
