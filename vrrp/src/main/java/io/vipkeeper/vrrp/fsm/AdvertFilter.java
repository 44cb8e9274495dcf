package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet6Address;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Meaning checks of a well-formed advertisement against the router's config (RFC 9568 §7.1,
 * RFC 3768 §7.1): each failure names its own {@link DropReason}. AH is verified by the transport.
 */
final class AdvertFilter {
    private AdvertFilter() {
    }

    /** The reason to discard, or empty to process the advertisement. */
    static Optional<DropReason> check(RouterConfig config, InboundPacket packet, VrrpAdvertisement ad) {
        Optional<DropReason> untrusted = sender(config, packet);
        if (untrusted.isPresent()) {
            return untrusted;
        }
        if (ad.version() != config.version()) {
            return Optional.of(DropReason.VERSION);
        }
        if (config.version() == VrrpVersion.V2) {
            if (ad.authType() != config.authType()) {
                return Optional.of(DropReason.AUTH_TYPE);
            }
            if (config.authType() == V2AuthType.SIMPLE_TEXT
                    && !MessageDigest.isEqual(ad.authData(), config.authData())) {
                return Optional.of(DropReason.AUTHENTICATION);
            }
            if (ad.maxAdverIntervalCentis() != config.advertIntervalCentis()) {
                return Optional.of(DropReason.INTERVAL);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the packet may be from a peer at all, whatever it says: not our own, from no further
     * than the TTL allows (the TTL comes first, so nothing from beyond it is looked at further),
     * from a unicast peer when the router has them, of the router's family.
     */
    static Optional<DropReason> sender(RouterConfig config, InboundPacket packet) {
        if (packet.source().equals(config.primaryAddress())) {
            return Optional.of(DropReason.OWN_PACKET);
        }
        if (packet.ttl() < config.minTtl()) {
            return Optional.of(DropReason.TTL);
        }
        if (config.isUnicast() && !config.unicastPeers().contains(packet.source())) {
            return Optional.of(DropReason.NOT_PEER);
        }
        if ((packet.source() instanceof Inet6Address) != config.isIpv6()) {
            return Optional.of(DropReason.FAMILY);
        }
        return Optional.empty();
    }
}
