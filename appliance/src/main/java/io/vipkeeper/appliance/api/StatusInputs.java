package io.vipkeeper.appliance.api;

import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.api.ReloadResult;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What the status API reads from the running daemon; every method may be called from any thread. */
public interface StatusInputs {
    /** The settings in force. */
    Settings settings();

    /** When the daemon started (first config load). */
    Instant startedAt();

    /** When the settings in force were loaded (start or last good reload). */
    Instant loadedAt();

    /** The last reload's outcome; empty before the first reload. */
    Optional<ReloadResult> lastReload();

    /** Reloads so far that succeeded. */
    long reloadsOk();

    /** Reloads so far that were refused. */
    long reloadsFailed();

    /** VRRP routers by instance name (empty without a vrrp section); read-only use. */
    Map<String, VirtualRouter> routers();

    /** Receive drops no VRRP instance owns; empty without a vrrp section. */
    default Optional<io.vipkeeper.vrrp.fsm.ReceiveCounters> vrrpReceive() {
        return Optional.empty();
    }

    /** The engine that forwards the virtual servers and why; empty before the config is read. */
    default Optional<io.vipkeeper.appliance.dataplane.EngineChoice> dataPlane() {
        return Optional.empty();
    }

    /** The data plane loop, if the config has an ipvs section (its lastTable() has kernel counters). */
    Optional<DataPlaneStatus> ipvs();

    /** Health of checked real servers: virtual server name → real server → health. */
    Map<String, Map<BackendKey, RealServerHealth>> health();

    /** The operator's runtime backend states that are not the default: virtual server → backend → state. */
    default Map<String, Map<BackendKey, io.vipkeeper.appliance.pool.BackendAdmin>> runtimeStates() {
        return Map.of();
    }

    /** The runtime backends ({@code vipkeeper backend add}) by virtual server: not in the file, origin runtime. */
    default Map<String, java.util.List<io.vipkeeper.appliance.config.RealServer>> runtimeBackends() {
        return Map.of();
    }

    /** Where the control socket's VRRP maintenance orders go; empty when no VRRP runs. */
    default Optional<VrrpControl> vrrpControl() {
        return Optional.empty();
    }

    /** Where the control socket's runtime backend orders go; empty when no data plane runs. */
    default Optional<BackendControl> backendControl() {
        return Optional.empty();
    }

    /** Where {@code POST /reload} on the control socket goes; empty when nothing can reload. */
    default Optional<ReloadControl> reloadControl() {
        return Optional.empty();
    }

    /** The bgp VIPs and why each is announced or withdrawn; empty without a bgp section. */
    default java.util.List<io.vipkeeper.appliance.bgp.BgpAnnouncer.VipState> bgp() {
        return java.util.List.of();
    }

    /** The daemon's live events, served at {@code GET /events}; empty where there are none (tests). */
    default Optional<io.vipkeeper.appliance.events.EventBus> events() {
        return Optional.empty();
    }
}
