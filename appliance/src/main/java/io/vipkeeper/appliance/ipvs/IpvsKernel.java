package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.Scheduler;
import java.util.List;

/**
 * The IPVS data plane: the neutral table through IPVS generic netlink, plus what only IPVS has,
 * the connection sync daemons.
 */
public interface IpvsKernel extends DataPlane {
    /**
     * IPVS's names are the model's: it can express every scheduler, flag and forwarding method but
     * stateless-nat (nftables' netdev path) and nftables' symmetric hash ({@code symhash}), and has
     * no port lists.
     */
    Capabilities CAPABILITIES = Capabilities.everything("ipvs").without(Capabilities.Option.PORT_LISTS)
            .without(io.vipkeeper.appliance.dataplane.Forwarding.STATELESS_NAT).without(Scheduler.SYMHASH);

    @Override
    default Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** The running connection sync daemons. */
    List<SyncDaemonState> syncDaemons();

    /** Starts a sync daemon. */
    void startSyncDaemon(SyncDaemonState d);

    /** Stops the sync daemon of {@code state} (master 1, backup 2). */
    void stopSyncDaemon(int state);

    /** The connection timeouts of this network namespace. */
    IpvsTimeouts timeouts();

    /** Sets the connection timeouts (0 keeps one as it is). */
    void setTimeouts(IpvsTimeouts t);
}
