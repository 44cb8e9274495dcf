package io.vipkeeper.vrrp.fsm;

/**
 * keepalived's auth_hmac {@code mode}: how a router that has keys signs and what it accepts. The
 * two migration modes let a pair move from no authentication to enforce without a transition:
 * every node verifies first (receive-only), then every node signs (permissive), then every node
 * requires (enforce).
 */
public enum HmacMode {
    /** Verifies a trailer that is present, accepts adverts without one, sends none. */
    RECEIVE_ONLY,
    /** Signs every advert, verifies a trailer that is present, accepts adverts without one. */
    PERMISSIVE,
    /** Signs every advert and requires a valid trailer (keepalived's default). */
    ENFORCE;

    /** Whether adverts sent carry a trailer. */
    public boolean signs() {
        return this != RECEIVE_ONLY;
    }

    /** Whether an advert without a trailer is accepted. */
    public boolean acceptsUnsigned() {
        return this != ENFORCE;
    }
}
