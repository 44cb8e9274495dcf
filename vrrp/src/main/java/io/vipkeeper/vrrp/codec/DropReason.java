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
    NOT_PEER("not_unicast_peer"),
    /** HMAC trailer required (mode enforce) but the advert has none (keepalived's auth_ext_missing). */
    HMAC_MISSING("hmac_missing"),
    /** HMAC trailer of another ext type or with non-zero reserved bytes (auth_ext_malformed). */
    HMAC_MALFORMED("hmac_malformed"),
    /** HMAC trailer signed with a key id we do not have: not yet added, or dropped (auth_ext_unknown_key). */
    HMAC_UNKNOWN_KEY("hmac_unknown_key"),
    /** HMAC trailer that does not verify with the key its id names (auth_ext_invalid_hmac). */
    HMAC_INVALID("hmac_invalid"),
    /** HMAC trailer timestamp outside the freshness window: clock skew or an old capture (auth_ext_stale). */
    HMAC_STALE("hmac_stale"),
    /** Valid HMAC trailer whose sequence did not grow for its sender: a replayed advert (auth_ext_replay). */
    HMAC_REPLAY("hmac_replay");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** Lower-case label for logs and metrics. */
    public String label() {
        return label;
    }
}
