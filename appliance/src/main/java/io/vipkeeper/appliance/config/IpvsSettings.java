package io.vipkeeper.appliance.config;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code ipvs} section.
 *
 * @param virtualServers services by name, in file order
 * @param syncDaemon the connection sync daemon, if configured
 * @param reconcileInterval how often the kernel table is compared with the config and repaired
 * @param drainTimeout how long a removed real server keeps its connections (at weight 0) at most
 */
public record IpvsSettings(Map<String, VirtualServer> virtualServers, Optional<SyncDaemon> syncDaemon,
        java.time.Duration reconcileInterval, java.time.Duration drainTimeout) {

    public IpvsSettings {
        virtualServers = Immutable.orderedMap(virtualServers);
    }

    /**
     * The kernel's IPVS connection sync daemon, master while {@code instance} is MASTER.
     *
     * @param interfaceName where sync messages go
     * @param instance the VRRP instance whose state decides master or backup
     * @param syncId the sync id (default: the instance's VRID)
     */
    public record SyncDaemon(String interfaceName, String instance, int syncId) {
    }
}
