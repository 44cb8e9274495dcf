package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A virtual service: an entry of {@code ipvs.virtual-servers}, in the data plane's neutral terms.
 *
 * @param name the entry's name, used in logs, status and metrics
 * @param address the virtual address; empty for a fwmark service
 * @param port the virtual port (0 for a fwmark service, a multiport service or an all-ports
 *     persistent service)
 * @param ports the ports of a multiport service ({@code ports = [80, "8000-8100"]}); {@link
 *     PortList#NONE} otherwise
 * @param fwmark firewall mark; 0 when the service is an address and port
 * @param ipv6 whether the service is IPv6
 * @param protocol transport protocol
 * @param scheduler scheduling algorithm
 * @param schedulerFlags scheduler-specific flags
 * @param onePacket UDP: schedule each datagram on its own
 * @param forwarding default forwarding method of the real servers
 * @param snat NAT only: masquerade traffic to the real servers so they need no route back
 * @param snatAddress with snat: the source address toward the real servers; empty: masquerade
 *     (the address of the interface the packets leave by)
 * @param persistence client affinity
 * @param quorum total weight of healthy real servers needed to keep the service up
 * @param hysteresis slack around the quorum against flapping
 * @param sorryServer used when the quorum is lost
 * @param inhibitOnFailure a failed real server gets weight 0 instead of being removed
 * @param healthCheck default check of the real servers
 * @param realServers the real servers, in file order
 */
public record VirtualServer(
        String name,
        Optional<InetAddress> address,
        int port,
        PortList ports,
        long fwmark,
        boolean ipv6,
        TransportProtocol protocol,
        Scheduler scheduler,
        Set<SchedulerFlag> schedulerFlags,
        boolean onePacket,
        Forwarding forwarding,
        boolean snat,
        Optional<InetAddress> snatAddress,
        Persistence persistence,
        int quorum,
        int hysteresis,
        Optional<InetSocketAddress> sorryServer,
        boolean inhibitOnFailure,
        HealthCheck healthCheck,
        List<RealServer> realServers) {

    /**
     * How the service is named in messages: {@code tcp 198.18.0.100:80}, {@code fwmark 7} or
     * {@code tcp 198.18.0.100:80,443,8000-8100}.
     */
    public String identity() {
        return fwmark != 0 ? "fwmark " + fwmark + (ipv6 ? " (IPv6)" : "")
                : ports.isEmpty() ? protocol.configName() + " " + Addresses.format(new InetSocketAddress(address.orElseThrow(), port))
                : protocol.configName() + " " + (ipv6 ? "[" + Addresses.format(address.get()) + "]"
                        : Addresses.format(address.get())) + ":" + ports;
    }

    /** The service's identity in the data plane. */
    public ServiceKey key() {
        return fwmark != 0 ? ServiceKey.ofFwmark(fwmark, ipv6) : !ports.isEmpty()
                ? ServiceKey.ofPorts(protocol, address.orElseThrow(), ports) : ServiceKey.of(protocol, address.orElseThrow(), port);
    }

    /**
     * Client affinity.
     *
     * @param timeout how long a client stays with its real server; zero disables persistence
     * @param prefixLength clients in one prefix of this length count as one (32/128: per address)
     */
    public record Persistence(Duration timeout, int prefixLength) {
    }
}
