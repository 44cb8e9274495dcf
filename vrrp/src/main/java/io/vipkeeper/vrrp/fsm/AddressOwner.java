package io.vipkeeper.vrrp.fsm;

/**
 * Puts virtual addresses on an interface and announces them: rtnetlink + GARP on Linux, a record
 * of holders in tests. Called on the VRRP event loop; must not block (hand kernel calls off).
 */
public interface AddressOwner {
    /** Adds the addresses and sends the gratuitous ARP / unsolicited NA bursts. */
    void claim();

    /** {@link #claim} may follow within about a millisecond: get its path ready. */
    default void prepareClaim() {
    }

    /** Removes the addresses; idempotent. */
    void release();

    /** Stops announcing the addresses but keeps them (a graceful handover); release follows. */
    default void stopAnnouncing() {
    }
}
