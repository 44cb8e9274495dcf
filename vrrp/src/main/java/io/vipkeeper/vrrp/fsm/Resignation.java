package io.vipkeeper.vrrp.fsm;

import java.net.InetAddress;
import java.util.Optional;

/**
 * How a router's entry into maintenance ended (see {@link VirtualRouter#setMaintenance}): a master
 * resigns by advertising priority 0 and keeps its addresses until a new master advertises, so the
 * outcome is known only then.
 *
 * @param outcome what happened
 * @param newMaster the router that took over ({@link Outcome#HANDED_OVER}), else null
 * @param waitedNanos how long the master waited for it (0 when it was not master)
 */
public record Resignation(Outcome outcome, InetAddress newMaster, long waitedNanos) {

    /** The ways a request for maintenance ends. */
    public enum Outcome {
        /** Not master: nothing to hand over; the router stays out of Master until maintenance ends. */
        NOT_MASTER,
        /** A new master advertised; the addresses were released and the router is Backup. */
        HANDED_OVER,
        /** Nobody took over within the bound and {@code force} was given: the addresses were released to nobody. */
        RELEASED_TO_NOBODY,
        /**
         * Nobody would hold the addresses (no master took over within the bound, or a backup knows
         * of no master): maintenance was not entered; a master went on as master.
         */
        NO_PEER,
        /** The resignation ended otherwise: maintenance was turned off, or the router stopped or went to Fault. */
        INTERRUPTED
    }

    static Resignation of(Outcome outcome) {
        return new Resignation(outcome, null, 0);
    }

    /** The new master, when one took over. */
    public Optional<InetAddress> master() {
        return Optional.ofNullable(newMaster);
    }

    /** Whether the router is in maintenance now. */
    public boolean inMaintenance() {
        return outcome != Outcome.NO_PEER && outcome != Outcome.INTERRUPTED;
    }
}
