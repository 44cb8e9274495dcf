package io.vipkeeper.appliance.it;

/**
 * What the fault lab checks at every sample (ARCHITECTURE.md, "Invariants"). An operation may
 * suspend some of them for a window it declares ({@link ChaosWindows}); outside every window each
 * one must hold.
 */
enum ChaosInvariant {
    /** At most one node holds each VIP. */
    ONE_HOLDER("at most one node holds each VIP"),
    /** A node whose status says MASTER holds the VIPs of that instance within one advert interval. */
    MASTER_HOLDS("a node that reports MASTER holds its VIPs within one advert interval"),
    /** /healthz is not 200 while a MASTER lacks its VIP (past the same one-interval allowance). */
    HEALTHZ("/healthz is not 200 while a MASTER lacks its VIP"),
    /** The client's echo requests to the VIP are answered (unanswered for at most one advert interval). */
    REACH("the client reaches the VIP"),
    /** Every daemon runs, unless the lab killed or stopped it; SIGTERM exits 0. */
    ALIVE("no daemon exits unless the lab killed it"),
    /** No instance changes state (status transition counters and last transition unchanged). */
    NO_TRANSITION("no VRRP transition"),
    /** With preemption on, the MASTER of each instance is the node with the higher priority. */
    ELECTED("the node with the higher priority is MASTER"),
    /** The config in effect is the last valid file the lab wrote (names, priorities, digest, reload results). */
    CONFIG("the config in effect is the last valid file");

    private final String meaning;

    ChaosInvariant(String meaning) {
        this.meaning = meaning;
    }

    /** The promise in words, for reports. */
    String meaning() {
        return meaning;
    }
}
