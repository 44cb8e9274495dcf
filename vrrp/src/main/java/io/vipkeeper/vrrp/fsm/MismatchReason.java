package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import java.util.List;
import java.util.Optional;

/**
 * How a sender's settings for our VRID differ from ours, as its adverts show: while such adverts
 * come, the two routers do not see each other as they should and both are likely master.
 *
 * <p>Append-only: the labels appear in status.
 */
public enum MismatchReason {
    /** Another VRRP version: its adverts are dropped, and ours by it. */
    VERSION(DropReason.VERSION),
    /** Another v2 authentication type. */
    AUTH_TYPE(DropReason.AUTH_TYPE),
    /**
     * Another v2 password, an AH ICV that does not verify, or an HMAC trailer that is missing,
     * malformed, signed with a key we lack or another key, or stamped outside our time window (its
     * clock is off). A replayed advert shows no mismatch: it is not the peer that sent it.
     */
    AUTHENTICATION(DropReason.AUTHENTICATION, DropReason.HMAC_MISSING, DropReason.HMAC_MALFORMED,
            DropReason.HMAC_UNKNOWN_KEY, DropReason.HMAC_INVALID, DropReason.HMAC_STALE),
    /** Another v2 advert interval. */
    INTERVAL(DropReason.INTERVAL),
    /** A sender that is not among our unicast peers (its unicast source is not the one we list). */
    NOT_PEER(DropReason.NOT_PEER),
    /**
     * Other virtual addresses. Accepted (see {@link AdvertFilter#sameAddresses}), but a peer that
     * checks them, as keepalived does, drops our adverts.
     */
    ADDRESS_LIST(null);

    private final DropReason drop;
    private final List<DropReason> alsoShownBy;

    MismatchReason(DropReason drop, DropReason... alsoShownBy) {
        this.drop = drop;
        this.alsoShownBy = List.of(alsoShownBy);
    }

    /** The mismatch a drop for {@code reason} shows, if it shows one. */
    public static Optional<MismatchReason> of(DropReason reason) {
        for (MismatchReason m : values()) {
            if (m.drop == reason || m.alsoShownBy.contains(reason)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Whether we drop the sender's adverts (else it is the sender that may drop ours). */
    public boolean dropped() {
        return drop != null;
    }

    /** What it leads to, for logs and health. */
    public String consequence() {
        return dropped() ? "both may be master"
                : "a peer that checks addresses (keepalived does) drops ours: both may be master";
    }

    /** Lower-case label for logs and status: the drop reason's label where there is one. */
    public String label() {
        return drop != null ? drop.label() : "address_list";
    }
}
