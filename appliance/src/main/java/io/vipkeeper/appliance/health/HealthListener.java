package io.vipkeeper.appliance.health;

import io.vipkeeper.appliance.dataplane.BackendKey;

/** Told when a real server goes up or down (after rise/fall); must not block. */
@FunctionalInterface
public interface HealthListener {
    /**
     * @param virtualServer the virtual server's name in the config
     * @param realServer the real server within it
     * @param up its new state
     * @param reason the check result that decided it
     */
    void changed(String virtualServer, BackendKey realServer, boolean up, String reason);
}
