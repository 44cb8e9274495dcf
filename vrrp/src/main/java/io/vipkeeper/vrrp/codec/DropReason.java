package io.vipkeeper.vrrp.codec;

/**
 * Why a received VRRP message was discarded. Each reason is counted on its own; none is fatal.
 *
 * <p>Append-only: the labels appear in metrics.
 */
public enum DropReason {
    /**
     * TTL / hop limit below 255 (RFC 9568 §7.1): the packet crossed a router. A router with
     * unicast peers may accept a lower minimum (peers some routers away).
     */
    TTL("ttl"),
    /** The version nibble is not 2 or 3, or not the version the router speaks. */
    VERSION("version"),
    /** The type nibble is not ADVERTISEMENT. */
    TYPE("type"),
    /** Shorter than a header, or not the length its address count implies. */
    LENGTH("length"),
    /** The checksum does not verify. */
    CHECKSUM("checksum"),
    /** No router here has this VRID on this interface and family; dropped quietly. */
    UNKNOWN_VRID("unknown_vrid"),
    /** v2 authentication type unknown or different from ours. */
    AUTH_TYPE("auth_type"),
    /** v2 password or AH ICV did not match. */
    AUTHENTICATION("authentication"),
    /** v2 advert interval differs from ours (v3 learns it instead), or is zero. */
    INTERVAL("interval"),
    /** Sent by this router (its own primary address). */
    OWN_PACKET("own_packet"),
    /** The address family does not match the router's. */
    FAMILY("family"),
    /** A router with unicast peers got an advert from an address not among them. */
    NOT_PEER("not_unicast_peer");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** Lower-case label for logs and metrics. */
    public String label() {
        return label;
    }
}
