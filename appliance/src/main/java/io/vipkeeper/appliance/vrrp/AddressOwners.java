package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.vrrp.fsm.AddressOwner;
import java.util.List;

/**
 * An instance's addresses on several interfaces (keepalived's per-address "dev"): one owner per
 * interface, claimed and released together, in the order the config lists their interfaces.
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
        owners.forEach(AddressOwner::release);
    }

    @Override
    public void stopAnnouncing() {
        owners.forEach(AddressOwner::stopAnnouncing);
    }
}
