package io.vipkeeper.appliance.dataplane;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Comparator;

/** Identity of a backend (real server) within a service: address and port. */
public record BackendKey(InetAddress address, int port) {
    /**
     * The order every director and both engines put a hashing service's backends in: address bytes
     * (unsigned), then port. The nftables engine fills its Maglev slots in it, and the IPVS engine
     * keeps the kernel's destination list in it (mh, sh, dh), so directors with the same config agree.
     */
    public static final Comparator<BackendKey> CANONICAL_ORDER = Comparator
            .<BackendKey, byte[]>comparing(k -> k.address().getAddress(), Arrays::compareUnsigned)
            .thenComparingInt(BackendKey::port);

    @Override
    public String toString() {
        return NetUtil.toSocketAddressString(new InetSocketAddress(address, port));
    }
}
