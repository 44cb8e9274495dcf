package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.vrrp.fsm.RouterActions;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;

/**
 * The actions of an instance whose interface may not exist yet: they go to the transport and
 * address owner bound once the interface is usable. Unbound, the router is in Fault (its own
 * interface fault is set until binding succeeds), where it neither sends nor owns anything.
 */
final class BoundActions implements RouterActions {
    private RouterActions target;

    /** Sends and owns through {@code actions} from now on; null unbinds. */
    void bind(RouterActions actions) {
        this.target = actions;
    }

    /** Whether a transport and an address owner are bound. */
    boolean isBound() {
        return target != null;
    }

    @Override
    public void sendAdvertisement(VrrpAdvertisement advertisement) {
        if (target != null) {
            target.sendAdvertisement(advertisement);
        }
    }

    @Override
    public void claimAddresses() {
        if (target != null) {
            target.claimAddresses();
        }
    }

    @Override
    public void prepareClaim() {
        if (target != null) {
            target.prepareClaim();
        }
    }

    @Override
    public void releaseAddresses() {
        if (target != null) {
            target.releaseAddresses();
        }
    }

    @Override
    public void stopAnnouncing() {
        if (target != null) {
            target.stopAnnouncing();
        }
    }
}
