package io.vipkeeper.appliance.api;

import io.vipkeeper.appliance.pool.BackendChange;
import io.vipkeeper.appliance.pool.BackendOrder;
import io.vipkeeper.appliance.pool.BackendRefusal;

/** What the control socket's write requests reach: the data plane's runtime backend orders. */
public interface BackendControl {
    /**
     * Carries out {@code order} for backend {@code backend} of virtual server {@code virtualServer}
     * and returns once the kernel holds it; {@code who} names the peer for the log.
     *
     * @throws BackendRefusal when it cannot be done; nothing changed
     */
    BackendChange backend(String virtualServer, String backend, BackendOrder order, Integer weight, String who)
            throws BackendRefusal;
}
