package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.Durations;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the NAT setup at each reconcile and removes it at shutdown; its failures are counted and
 * logged once while they last, and never stop the run (the table is still worth programming).
 */
final class NatKeeper {
    /** Under the manager's name: operators and tests know these lines as DataPlaneManager's. */
    private static final Logger log = LoggerFactory.getLogger(DataPlaneManager.class);

    private final NatSetup nat;

    NatKeeper(NatSetup nat) {
        this.nat = nat;
    }

    /** NAT sysctls and rules for {@code settings}; draining real servers in {@code inKernel} keep theirs. */
    void reconcile(IpvsSettings settings, Map<ServiceKey, ActualService> inKernel, ReconcileRun why,
            FailureLog failureLog, ReconcileCounters counters) {
        try {
            nat.reconcile(settings, inKernel, why);
        } catch (RuntimeException e) {
            counters.failed();
            if (failureLog.firstReport(e.getMessage())) {
                log.error("nat: {} (retried every {})", e.getMessage(), Durations.format(settings.reconcileInterval()));
            }
        }
    }

    /** Removes what must not outlive vipkeeper (shutdown). */
    void remove() {
        try {
            nat.remove();
        } catch (RuntimeException e) {
            log.error("nat: cannot remove table {}: {}", SnatRules.TABLE, e.getMessage());
        }
    }
}
