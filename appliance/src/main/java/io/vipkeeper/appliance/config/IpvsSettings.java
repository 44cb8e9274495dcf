package io.vipkeeper.appliance.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code ipvs} section.
 *
 * @param virtualServers services by name, in file order
 * @param syncDaemon the connection sync daemon, if configured
 * @param reconcileInterval how often the kernel table is compared with the config and repaired
 * @param drainTimeout how long a removed real server keeps its connections (at weight 0) at most
 * @param timeouts the kernel's IPVS connection timeouts, those set (keepalived's lvs_timeouts)
 */
public record IpvsSettings(Map<String, VirtualServer> virtualServers, Optional<SyncDaemon> syncDaemon,
        Duration reconcileInterval, Duration drainTimeout, Timeouts timeouts) {

    public IpvsSettings {
        virtualServers = Immutable.orderedMap(virtualServers);
    }

    /** Settings that leave the kernel's connection timeouts as they are. */
    public IpvsSettings(Map<String, VirtualServer> virtualServers, Optional<SyncDaemon> syncDaemon,
            Duration reconcileInterval, Duration drainTimeout) {
        this(virtualServers, syncDaemon, reconcileInterval, drainTimeout, Timeouts.NONE);
    }

    /** These settings with {@code servers} instead of their virtual servers. */
    public IpvsSettings withVirtualServers(Map<String, VirtualServer> servers) {
        return new IpvsSettings(servers, syncDaemon, reconcileInterval, drainTimeout, timeouts);
    }

    /**
     * The kernel's IPVS connection timeouts ({@code ipvsadm --set}); one not set is left as the
     * kernel has it. They hold for the whole network namespace, not per service.
     *
     * @param tcp established TCP connections (the kernel's default is 900s)
     * @param tcpFin TCP connections after a FIN (120s)
     * @param udp UDP "connections" (300s)
     */
    public record Timeouts(Optional<Duration> tcp, Optional<Duration> tcpFin, Optional<Duration> udp) {
        /** None set. */
        public static final Timeouts NONE = new Timeouts(Optional.empty(), Optional.empty(), Optional.empty());

        /** Whether none is set. */
        public boolean isEmpty() {
            return tcp.isEmpty() && tcpFin.isEmpty() && udp.isEmpty();
        }
    }

    /**
     * The kernel's IPVS connection sync daemon, master while {@code instance} is MASTER. An option
     * not set takes the kernel's default.
     *
     * @param interfaceName where sync messages go
     * @param instance the VRRP instance whose state decides master or backup
     * @param syncId the sync id (default: the instance's VRID)
     * @param maxLength the largest sync message's payload in bytes (the kernel's default follows the MTU)
     * @param group the multicast group (224.0.0.81)
     * @param port the UDP port (8848)
     * @param ttl the multicast TTL / hop limit (1)
     */
    public record SyncDaemon(String interfaceName, String instance, int syncId, Optional<Integer> maxLength,
            Optional<InetAddress> group, Optional<Integer> port, Optional<Integer> ttl) {
        /** A sync daemon with the kernel's defaults for the rest. */
        public SyncDaemon(String interfaceName, String instance, int syncId) {
            this(interfaceName, instance, syncId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }
}
