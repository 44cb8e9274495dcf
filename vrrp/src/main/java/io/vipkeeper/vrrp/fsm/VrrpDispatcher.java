package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DecodeResult;
import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.codec.VrrpDecoder;
import io.vipkeeper.vrrp.transport.InboundPacket;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives on one transport (interface + family), decodes, and hands each advertisement to the
 * router with its VRID. Format and authentication drops go to that router when the VRID byte is
 * readable (it counts them and reports a peer's version or authentication mismatch), otherwise
 * they are counted on the dispatcher; unknown VRIDs are counted quietly.
 */
public final class VrrpDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpDispatcher.class);

    private final Map<Integer, VirtualRouter> routers = new ConcurrentHashMap<>();
    private final Map<Integer, HmacAuth> hmac = new ConcurrentHashMap<>();
    private final RouterCounters unattributed;

    /** Starts receiving from {@code transport}. */
    public VrrpDispatcher(VrrpTransport transport) {
        this(transport, new RouterCounters());
    }

    /** The same, counting drops no router owns in {@code unattributed} (shared by a host's dispatchers). */
    public VrrpDispatcher(VrrpTransport transport, RouterCounters unattributed) {
        this.unattributed = unattributed;
        transport.onReceive(this::receive);
        transport.serveOnly(routers::containsKey);
    }

    /** Routes adverts for the router's VRID to it. */
    public void add(VirtualRouter router) {
        routers.put(router.config().virtualRouterId(), router);
    }

    /** Routes adverts for the router's VRID to it once {@code auth} accepted their trailer. */
    public void add(VirtualRouter router, HmacAuth auth) {
        if (auth != null) {
            hmac.put(router.config().virtualRouterId(), auth);
        } else {
            hmac.remove(router.config().virtualRouterId()); // a successor without HMAC
        }
        add(router);
    }

    /** Stops routing to this router. */
    public void remove(VirtualRouter router) {
        if (routers.remove(router.config().virtualRouterId(), router)) {
            hmac.remove(router.config().virtualRouterId());
        }
    }

    /** Drops not attributable to a router (unknown VRID, unreadable header). */
    public RouterCounters unattributed() {
        return unattributed;
    }

    /** Handles one received message; never throws. */
    public void receive(InboundPacket received) {
        InboundPacket packet = received;
        try {
            HmacAuth auth = packet.rejected() == null && packet.payload().length > 1
                    ? hmac.get(packet.payload()[1] & 0xff) : null;
            boolean kernelChecksum = false;
            if (auth != null) {
                int length = packet.payload().length;
                packet = auth.check(packet);
                // The kernel verified an IPv6 checksum over message and trailer (IPV6_CHECKSUM); the
                // message's own field cannot be checked once the trailer is cut off.
                kernelChecksum = packet.source() instanceof java.net.Inet6Address && packet.payload().length != length;
            }
            VirtualRouter router = packet.payload().length > 1 ? routers.get(packet.payload()[1] & 0xff) : null;
            if (packet.rejected() != null) {
                dropped(router, packet, packet.rejected(), packet.rejected() == DropReason.AUTHENTICATION
                        ? "authentication failed" : "HMAC trailer: " + packet.rejected().label());
                return;
            }
            DecodeResult result = VrrpDecoder.decode(packet, !kernelChecksum);
            if (result instanceof DecodeResult.Dropped d) {
                dropped(router, packet, d.reason(), d.detail());
                LOG.debug("dropped packet from {}: {} ({})", packet.source().getHostAddress(), d.reason().label(),
                        d.detail());
            } else if (router == null) {
                unattributed.dropped(DropReason.UNKNOWN_VRID);
            } else {
                router.receive(packet, ((DecodeResult.Accepted) result).advertisement());
            }
        } catch (RuntimeException e) {
            LOG.error("unexpected error handling a packet from {}", packet.source().getHostAddress(), e);
        }
    }

    /** Counted on the router of its VRID, which also judges whether it is a peer's mismatch; else here. */
    private void dropped(VirtualRouter router, InboundPacket packet, DropReason reason, String detail) {
        if (router != null) {
            router.dropped(packet, reason, detail);
        } else {
            unattributed.dropped(reason);
        }
    }
}
