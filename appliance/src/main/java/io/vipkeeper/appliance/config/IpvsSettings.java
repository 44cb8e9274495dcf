package io.vipkeeper.appliance.config;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code ipvs} section.
 *
 * @param virtualServers services by name, in file order
 * @param syncDaemon the connection sync daemon, if configured
 */
public record IpvsSettings(Map<String, VirtualServer> virtualServers, Optional<SyncDaemon> syncDaemon) {

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
