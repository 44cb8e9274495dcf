package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import java.util.List;
import java.util.Map;

/** The kernel's IPVS table as the reconciler sees it: dump it, change it. */
public interface IpvsKernel extends AutoCloseable {
    /** Every service with its destinations, in the kernel's order. */
    Map<ServiceKey, KernelService> table();

    /** Carries out {@code ops} in order; a refused one does not stop the rest. Returns the refused ones. */
    List<Failure> apply(List<IpvsOp> ops);

    /** The running connection sync daemons. */
    List<SyncDaemonState> syncDaemons();

    /** Starts a sync daemon. */
    void startSyncDaemon(SyncDaemonState d);

    /** Stops the sync daemon of {@code state} (master 1, backup 2). */
    void stopSyncDaemon(int state);

    @Override
    void close();

    /** One change that the kernel refused, with its error. */
    record Failure(IpvsOp op, NetlinkException error) {
    }
}
