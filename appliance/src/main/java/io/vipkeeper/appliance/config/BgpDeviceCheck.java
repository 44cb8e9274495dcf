package io.vipkeeper.appliance.config;

import java.util.Optional;

/**
 * Refuses, at {@code check}, start and reload, a {@code bgp.device} that names an interface the
 * host already has and the daemon does not hold (eth0, a dummy, a persistent tun): the daemon could
 * not create its device and would announce nothing, and attaching to a persistent one would keep the
 * VIPs announced after the daemon died. A tun device without IFF_PERSIST lives only through a
 * process's descriptor; with this name that is the daemon's own (at a reload, or while {@code check}
 * runs beside it), so it passes. Another process holding one is found at start by the device itself.
 */
final class BgpDeviceCheck {
    private BgpDeviceCheck() {
    }

    /** The problem with the device on {@code host}, at its line, if there is one. */
    static Optional<ConfigProblem> check(BgpSettings bgp, HostNetwork host) {
        if (bgp.isEmpty() || bgp.device() == null) {
            return Optional.empty();
        }
        String name = bgp.device();
        boolean exists = host.interfaces().map(have -> have.contains(name)).orElse(false);
        // What cannot be told passes: the device's own creation at start refuses an existing name anyway.
        if (!exists || host.heldTun(name).orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(bgp.deviceProblem("interface " + name + " exists on this host and is not the daemon's;"
                + " name one that only vipkeeper creates (it makes a tun device that goes away with the process)"));
    }
}
