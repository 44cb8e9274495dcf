package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.vrrp.fsm.AddressOwner;
import java.util.List;

/**
 * An instance's addresses on several interfaces (keepalived's per-address "dev"): one owner per
 * interface, then the owner of its virtual routes and rules. Claimed in that order (a route's src
 * VIP is there first), released in the reverse order (a route goes before its src VIP).
 */
final class AddressOwners implements AddressOwner {
    private final List<AddressOwner> owners;

    AddressOwners(List<AddressOwner> owners) {
        this.owners = List.copyOf(owners);
    }

    @Override
    public void claim() {
        owners.forEach(AddressOwner::claim);
    }

    @Override
    public void prepareClaim() {
        owners.forEach(AddressOwner::prepareClaim);
    }

    @Override
    public void release() {
        for (int i = owners.size() - 1; i >= 0; i--) {
            owners.get(i).release();
        }
    }

    @Override
    public void stopAnnouncing() {
        owners.forEach(AddressOwner::stopAnnouncing);
    }
}
