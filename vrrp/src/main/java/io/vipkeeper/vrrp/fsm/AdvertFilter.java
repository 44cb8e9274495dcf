package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Meaning checks of a well-formed advertisement against the router's config (RFC 9568 §7.1,
 * RFC 3768 §7.1): each failure names its own {@link DropReason}, and {@link #explain} says in
 * words what differs. AH is verified by the transport.
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
     * Whether {@code ad} carries the router's virtual addresses, in any order. RFC 9568 §7.1 makes
     * this check optional (RFC 3768 §7.1 too) and vipkeeper accepts an advert that fails it, so
     * that a reload rolling new addresses out to one node after the other never splits the pair;
     * it is reported, since a peer that checks (keepalived does) drops our adverts then.
     */
    static boolean sameAddresses(RouterConfig config, VrrpAdvertisement ad) {
        return Set.copyOf(ad.addresses()).equals(Set.copyOf(config.virtualAddresses()));
    }

    /** What differs between {@code ad} and the router's config, in words, for {@code reason}. */
    static String explain(MismatchReason reason, RouterConfig config, VrrpAdvertisement ad) {
        return switch (reason) {
            case VERSION -> "VRRPv" + ad.version().byteValue() + " advert, this router speaks VRRPv"
                    + config.version().byteValue();
            case AUTH_TYPE -> "authentication type " + authName(ad.authType()) + ", this router's "
                    + authName(config.authType());
            case AUTHENTICATION -> "the password differs";
            case INTERVAL -> "advert interval " + centis(ad.maxAdverIntervalCentis()) + ", this router's "
                    + centis(config.advertIntervalCentis());
            case ADDRESS_LIST -> "addresses " + addresses(ad.addresses()) + ", this router's "
                    + addresses(config.virtualAddresses());
            case NOT_PEER -> "not in unicast-peers " + addresses(config.unicastPeers());
        };
    }

    private static String authName(V2AuthType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private static String centis(int centis) {
        return centis % 100 == 0 ? centis / 100 + "s" : centis * 10 + "ms";
    }

    private static String addresses(List<InetAddress> list) {
        return list.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ", "[", "]"));
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
