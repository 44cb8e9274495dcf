package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.vrrp.fsm.HmacAuth;
import io.vipkeeper.vrrp.fsm.RouterConfig;
import io.vipkeeper.vrrp.fsm.TrackedPriority;
import io.vipkeeper.vrrp.fsm.TransportActions;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import java.util.Optional;

/** One running {@code vrrp.instances} entry: its router, tracking and notify scripts. */
final class VrrpInstanceRuntime {
    /** Fault source for the instance's own interface. */
    static final String OWN_INTERFACE = "interface";

    VrrpInstance settings;
    final VirtualRouter router;
    final TrackedPriority tracked;
    final VrrpEndpoint endpoint;
    final Optional<NotifyScripts> notify;

    VrrpInstanceRuntime(VrrpInstance settings, RouterConfig config, VrrpEndpoint endpoint, VrrpPlatform platform,
            VrrpScheduler scheduler, ProcessRunner runner) {
        this.settings = settings;
        this.endpoint = endpoint;
        HmacAuth hmac = RouterConfigs.hmacKey(settings).map(key -> new HmacAuth(settings.version(),
                settings.virtualRouterId(), key, System::currentTimeMillis)).orElse(null);
        this.router = new VirtualRouter(config, scheduler, new TransportActions(endpoint.transport,
                settings.unicastPeers(), platform.addressOwner(settings.interfaceName(), settings.virtualIps(),
                        settings.garp(), scheduler), hmac));
        this.tracked = new TrackedPriority(router);
        this.notify = settings.notifyScript().map(s -> new NotifyScripts(s, runner, NotifyScripts.TIMEOUT));
        notify.ifPresent(router::addListener);
        endpoint.dispatcher.add(router, hmac);
    }

    /** Takes over retuned settings (same shape, see {@link VrrpReloadPlan}). */
    void retuned(VrrpInstance next) {
        this.settings = next;
    }

    /** Applies a link change of any interface this instance cares about. */
    void linkChanged(String ifname, boolean usable) {
        if (ifname.equals(settings.interfaceName())) {
            router.setFault(OWN_INTERFACE, usable ? null : ifname + " is down");
        }
        for (VrrpInstance.TrackedInterface t : settings.trackInterfaces()) {
            if (t.name().equals(ifname)) {
                tracked.update("track-interface " + ifname, t.weight(), usable, ifname + " is down");
            }
        }
    }
}
