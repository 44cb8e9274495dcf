package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.appliance.script.ProcessRunner;
import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.HmacAuth;
import io.vipkeeper.vrrp.fsm.TrackedPriority;
import io.vipkeeper.vrrp.fsm.TransportActions;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import java.util.Optional;

/**
 * One {@code vrrp.instances} entry: its router, tracking and notify scripts, and the endpoint it is
 * bound to once its interface exists and has an address (see {@link VrrpEndpoints}).
 */
final class VrrpInstanceRuntime {
    /** Fault source for the instance's own interface. */
    static final String OWN_INTERFACE = "interface";

    VrrpInstance settings;
    final VirtualRouter router;
    final TrackedPriority tracked;
    final Optional<NotifyScripts> notify;
    private final HmacAuth hmac;
    private final BoundActions actions = new BoundActions();
    /** The endpoint while bound, else null. */
    private VrrpEndpoint endpoint;

    /** An unbound instance: its router's primary address is a placeholder until {@link #bind}. */
    VrrpInstanceRuntime(VrrpInstance settings, VrrpScheduler scheduler, ProcessRunner runner) {
        this.settings = settings;
        this.hmac = RouterConfigs.hmacPolicy(settings).map(policy -> new HmacAuth(settings.version(),
                settings.virtualRouterId(), policy, System::currentTimeMillis)).orElse(null);
        this.router = new VirtualRouter(RouterConfigs.of(settings, RouterConfigs.unbound(settings)), scheduler,
                actions);
        this.tracked = new TrackedPriority(router);
        this.notify = settings.notifyScript().isPresent() || settings.notifies().any()
                ? Optional.of(new NotifyScripts(settings.notifyScript(), settings.notifies(), runner)) : Optional.empty();
        notify.ifPresent(n -> {
            router.addListener(n);
            router.addPriorityListener(p -> n.onPriority(settings.name(), router.state(), p));
        });
    }

    /** Takes over retuned settings (same shape, see {@link VrrpReloadPlan}). */
    void retuned(VrrpInstance next) {
        this.settings = next;
    }

    /**
     * Sends and receives through {@code e} and owns the VIPs through {@code owner}; the endpoint's
     * source becomes the router's primary address (a retune, no transition).
     */
    void bind(VrrpEndpoint e, AddressOwner owner) {
        router.reconfigure(RouterConfigs.of(settings, e.transport.sourceAddress()));
        actions.bind(new TransportActions(e.transport, settings.unicastPeers(), owner, hmac));
        e.dispatcher.add(router, hmac);
        endpoint = e;
    }

    /**
     * Goes on from {@code before}'s HMAC send sequence and replay marks (a reload's successor of
     * the same router; nothing when either has no HMAC).
     */
    void continueAuthFrom(VrrpInstanceRuntime before) {
        if (hmac != null && before.hmac != null) {
            hmac.continueFrom(before.hmac);
        }
    }

    /** Detaches from the endpoint (the router must no longer need it: stopped or in Fault). */
    void unbind() {
        if (endpoint != null) {
            endpoint.dispatcher.remove(router);
            actions.bind(null);
            endpoint = null;
        }
    }

    /** Removes this instance's VIPs, except those a successor claimed since (see AddressLedger). */
    void releaseAddresses() {
        actions.releaseAddresses();
    }

    /** The endpoint while bound. */
    Optional<VrrpEndpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** Applies a link change of any interface this instance cares about (its own once bound). */
    void linkChanged(String ifname, boolean usable) {
        if (ifname.equals(settings.interfaceName()) && endpoint != null) {
            router.setFault(OWN_INTERFACE, usable ? null : ifname + " is down");
        }
        for (VrrpInstance.TrackedInterface t : settings.trackInterfaces()) {
            if (t.name().equals(ifname)) {
                tracked.update("track-interface " + ifname, t.weight(), usable, ifname + " is down");
            }
        }
    }
}
