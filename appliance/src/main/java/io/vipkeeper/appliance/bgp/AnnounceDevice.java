package io.vipkeeper.appliance.bgp;

import java.net.InetAddress;

/**
 * Where announced VIPs are put for the routing daemon to redistribute: the kernel's tun device
 * ({@link TunDevice}) in the daemon, a set in memory in tests.
 */
public interface AnnounceDevice extends AutoCloseable {
    /** Puts {@code vip} on the device (/32 or /128): the routing daemon announces it. */
    void add(InetAddress vip);

    /** Takes {@code vip} off the device: the routing daemon withdraws it. */
    void remove(InetAddress vip);

    /** Takes every VIP off at once (the device goes away). */
    @Override
    void close();
}
