package io.vipkeeper.appliance.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The {@code real-server} section, used by {@code vipkeeper realserver} on direct-routing backends.
 *
 * @param vips addresses put on {@code lo} so the backend accepts traffic for them
 * @param interfaceName the interface facing the load balancer (ARP settings are applied to it)
 */
public record RealServerModeSettings(List<InetAddress> vips, String interfaceName) {
}
