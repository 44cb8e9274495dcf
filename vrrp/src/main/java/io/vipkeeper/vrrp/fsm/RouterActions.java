package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;

/**
 * What a virtual router does to the world: the transport and the address owner implement it, an
 * in-memory network in tests. Called on the router's event loop; must not block.
 */
public interface RouterActions {
    /** Sends an advertisement to the group or the unicast peers. */
    void sendAdvertisement(VrrpAdvertisement advertisement);

    /** Puts the virtual addresses on the interface and announces them (GARP / unsolicited NA). */
    void claimAddresses();

    /** A claim may follow within about a millisecond (a takeover timer is about to fire). */
    default void prepareClaim() {
    }

    /** Removes the virtual addresses; idempotent (also clears leftovers of a crashed run). */
    void releaseAddresses();

    /** Stops gratuitous ARP / NA for the addresses but keeps them (a graceful handover). */
    default void stopAnnouncing() {
    }
}
