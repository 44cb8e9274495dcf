package io.vipkeeper.appliance.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A route a VRRP instance installs while MASTER and removes when it leaves MASTER (keepalived's
 * virtual_routes), with the options of {@code ip route add}.
 *
 * @param to the destination prefix (0.0.0.0/0 or ::/0 for default)
 * @param via the gateway, if any
 * @param interfaceName the outgoing interface, if named
 * @param source the preferred source address (ip route's src), if any: usually a VIP
 * @param table the routing table (254 main)
 * @param metric the route's metric (ip route's metric / preference), if set
 * @param scope its scope
 * @param protocol rtm_protocol (18 keepalived by default, as keepalived tags its routes)
 * @param type unicast, blackhole, unreachable, prohibit or throw
 */
public record VirtualRoute(IpPrefix to, Optional<InetAddress> via, Optional<String> interfaceName,
        Optional<InetAddress> source, long table, Optional<Long> metric, AddressScope scope, int protocol,
        RouteType type) {

    /** As {@code ip route add} would take it, for logs. */
    @Override
    public String toString() {
        return (type == RouteType.UNICAST ? "" : type.configName() + " ") + (to.prefixLength() == 0 ? "default" : to)
                + via.map(v -> " via " + Addresses.format(v)).orElse("") + interfaceName.map(i -> " dev " + i).orElse("")
                + source.map(s -> " src " + Addresses.format(s)).orElse("") + " table " + table
                + metric.map(m -> " metric " + m).orElse("")
                + (scope == AddressScope.GLOBAL ? "" : " scope " + scope.configName()) + " proto " + protocol;
    }
}
