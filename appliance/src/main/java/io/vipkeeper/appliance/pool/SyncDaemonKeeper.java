package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's connection sync daemon: master while its VRRP instance is MASTER, backup
 * otherwise. With a sync-daemon section vipkeeper owns the host's sync daemons (one, in the right
 * state); without one it stops only those it started. Used on the ipvs thread only.
 */
final class SyncDaemonKeeper {
    private static final Logger log = LoggerFactory.getLogger(SyncDaemonKeeper.class);

    /** The VRRP instances that are MASTER now. */
    private final Set<String> masters = new HashSet<>();
    /** Whether a sync daemon now running was started by this vipkeeper. */
    private boolean owned;
    /** The daemon as last started or adopted (null before), with the options as configured. */
    private SyncDaemonState started;

    /** Notes an instance's state; whether that changes what {@code settings} want. */
    boolean vrrpState(IpvsSettings settings, String instance, boolean master) {
        boolean changed = master ? masters.add(instance) : masters.remove(instance);
        return changed && settings != null
                && settings.syncDaemon().map(d -> d.instance().equals(instance)).orElse(false);
    }

    /** Makes the kernel's sync daemons what {@code settings} want now. */
    void reconcile(IpvsSettings settings, IpvsKernel kernel) {
        if (settings.syncDaemon().isEmpty() && !owned) {
            return;
        }
        List<SyncDaemonState> running = kernel.syncDaemons();
        Optional<SyncDaemonState> want = settings.syncDaemon().map(d -> new SyncDaemonState(
                masters.contains(d.instance()) ? SyncDaemonState.MASTER : SyncDaemonState.BACKUP, d.interfaceName(),
                d.syncId(), d.maxLength().orElse(0), d.group(), d.port().orElse(0), d.ttl().orElse(0)));
        // A daemon the kernel runs as wanted is kept; but one this vipkeeper started with other
        // options is started again even where the kernel cannot tell (a max length left to the
        // kernel matches any). At start nothing was started yet: a matching daemon is adopted.
        boolean sameAsStarted = started == null || want.map(started::equals).orElse(false);
        boolean runs = false;
        for (SyncDaemonState r : running) {
            if (want.isPresent() && want.get().isRunAs(r) && sameAsStarted) {
                runs = true;
            } else if (want.isPresent()) {
                kernel.stopSyncDaemon(r.state());
                log.info("ipvs: stopped the {} sync daemon", r.stateName());
            }
        }
        if (want.isPresent() && !runs) {
            kernel.startSyncDaemon(want.get());
            owned = true;
            started = want.get();
            String instance = settings.syncDaemon().get().instance();
            String options = want.get().options();
            log.info("ipvs: {} sync daemon on {} with sync id {}{} ({} is {})", want.get().stateName(),
                    want.get().interfaceName(), want.get().syncId(), options.isEmpty() ? "" : " (" + options + ")",
                    instance, masters.contains(instance) ? "MASTER" : "not MASTER");
        } else if (want.isPresent()) {
            started = want.get();
        } else if (owned) {
            for (SyncDaemonState r : running) {
                kernel.stopSyncDaemon(r.state());
                log.info("ipvs: stopped the {} sync daemon (no longer configured)", r.stateName());
            }
            owned = false;
            started = null;
        }
    }
}
