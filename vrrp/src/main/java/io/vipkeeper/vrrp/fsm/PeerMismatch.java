package io.vipkeeper.vrrp.fsm;

import java.net.InetAddress;

/**
 * Adverts for a router's VRID from one sender that is configured differently: while they come,
 * both are likely master.
 *
 * @param peer the sender's address
 * @param reason what differs (and whether its adverts are dropped for it)
 * @param detail what differs, in words ("VRRPv2 advert, this router speaks VRRPv3")
 * @param count adverts from this sender that showed it
 * @param lastSeenNanos when the last one came, on the router's scheduler clock
 * @param active whether the last one is recent enough to count (see {@link PeerMismatches})
 */
public record PeerMismatch(InetAddress peer, MismatchReason reason, String detail, long count, long lastSeenNanos,
        boolean active) {
}
