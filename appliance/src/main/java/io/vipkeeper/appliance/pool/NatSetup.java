package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.util.Map;

/** What NAT services need besides the data plane's table (sysctls, masquerade rules); kept by the reconcile runs. */
public interface NatSetup {
    /** Nothing around the table (unit tests of the table policy). */
    NatSetup NONE = new NatSetup() {
        @Override
        public void reconcile(IpvsSettings s, Map<ServiceKey, ActualService> inKernel, ReconcileRun why) {
        }

        @Override
        public void remove() {
        }
    };

    /**
     * Brings the setup in line with {@code s}; real servers still in the kernel ({@code inKernel},
     * the run's dump: draining ones) keep their masquerading until they are gone. {@code why}
     * names the run in the log.
     */
    void reconcile(IpvsSettings s, Map<ServiceKey, ActualService> inKernel, ReconcileRun why);

    /** Removes what vipkeeper added that must not outlive it (shutdown). */
    void remove();
}
