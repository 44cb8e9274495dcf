package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import java.util.Map;

/**
 * What a host dropped on receive that no virtual router can own: packets for a VRID nobody
 * serves or too short to name one (by reason), datagrams the raw sockets could not read (runts,
 * not IP, receive errors), and rtnetlink events that could not be parsed. For status and metrics.
 *
 * @param drops unattributed drops by reason
 * @param receiveErrors datagrams the sockets could not read or that were not IP
 * @param netlinkMalformed link and address events that could not be parsed
 * @param routeRefusals virtual routes and rules the kernel refused (the host side of the same
 *     rtnetlink path, counted here so status has one place for it)
 */
public record ReceiveCounters(Map<DropReason, Long> drops, long receiveErrors, long netlinkMalformed,
        long routeRefusals) {
    /** Copies the map. */
    public ReceiveCounters {
        drops = Map.copyOf(drops);
    }
}
