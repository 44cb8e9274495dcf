package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a virtual router is told to be. Immutable; a reload makes a new one.
 *
 * @param name instance name for logs and status
 * @param version VRRP version
 * @param virtualRouterId VRID 1..255
 * @param priority configured priority 1..255 (tracking adjusts the effective one)
 * @param advertIntervalCentis Advertisement_Interval in centiseconds
 * @param preempt Preempt_Mode
 * @param preemptDelay act as if Preempt_Mode were false for this long after the first advert of a
 *     lower-priority master heard in Backup (keepalived's preempt_delay)
 * @param virtualAddresses the addresses advertised and owned as master
 * @param primaryAddress our source address: own-packet detection and the equal-priority tie-break
 * @param unicastPeers the addresses adverts are sent to and the only ones accepted from; empty =
 *     multicast, adverts accepted from any source on the link (keepalived's check_unicast_src)
 * @param minTtl the lowest IP TTL / hop limit accepted: 255 (RFC 9568 §7.1: the advert did not
 *     cross a router), lower only with unicast peers that many routers away
 * @param authType v2 authentication type
 * @param authData v2 8 authentication bytes (the padded password for SIMPLE_TEXT, else zero)
 */
public record RouterConfig(
        String name,
        VrrpVersion version,
        int virtualRouterId,
        int priority,
        int advertIntervalCentis,
        boolean preempt,
        Duration preemptDelay,
        List<InetAddress> virtualAddresses,
        InetAddress primaryAddress,
        List<InetAddress> unicastPeers,
        int minTtl,
        V2AuthType authType,
        byte[] authData) {

    /** Validates through {@link VrrpAdvertisement}'s own checks. */
    public RouterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(primaryAddress, "primaryAddress");
        virtualAddresses = List.copyOf(virtualAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        authData = authData.clone();
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException("priority must be 1..255: " + priority);
        }
        if (minTtl < 1 || minTtl > 255 || (minTtl != 255 && unicastPeers.isEmpty())) {
            throw new IllegalArgumentException("minimum TTL must be 255, or 1..255 with unicast peers: " + minTtl);
        }
        if (!virtualAddresses.isEmpty() && (virtualAddresses.get(0) instanceof Inet6Address)
                != (primaryAddress instanceof Inet6Address)) {
            throw new IllegalArgumentException("primary address and VIPs of different families");
        }
        // Fields are not assigned yet in a compact constructor: validate from the parameters.
        new VrrpAdvertisement(version, virtualRouterId, priority, advertIntervalCentis, virtualAddresses,
                authType, authData);
    }

    /** A v3 router with defaults for the rest (tests and simple callers). */
    public static RouterConfig v3(String name, int vrid, int priority, int intervalCentis, InetAddress primary,
            List<InetAddress> vips) {
        return new RouterConfig(name, VrrpVersion.V3, vrid, priority, intervalCentis, true, Duration.ZERO, vips,
                primary, List.of(), 255, V2AuthType.NONE, new byte[0]);
    }

    /** Whether adverts go to unicast peers (and are accepted from them only). */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }

    /** Whether the router speaks IPv6. */
    public boolean isIpv6() {
        return primaryAddress instanceof Inet6Address;
    }

    /** The advertisement this router sends at {@code effectivePriority}. */
    public VrrpAdvertisement advertisement(int effectivePriority) {
        return new VrrpAdvertisement(version, virtualRouterId, effectivePriority, advertIntervalCentis,
                virtualAddresses, authType, authData);
    }

    /** A copy of the v2 authentication bytes. */
    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /** This config with other preemption settings. */
    public RouterConfig withPreempt(boolean newPreempt, Duration newDelay) {
        return new RouterConfig(name, version, virtualRouterId, priority, advertIntervalCentis, newPreempt,
                newDelay, virtualAddresses, primaryAddress, unicastPeers, minTtl, authType, authData);
    }

    /** This config with another configured priority. */
    public RouterConfig withPriority(int newPriority) {
        return new RouterConfig(name, version, virtualRouterId, newPriority, advertIntervalCentis, preempt,
                preemptDelay, virtualAddresses, primaryAddress, unicastPeers, minTtl, authType, authData);
    }

    /** This config sending to and accepting from {@code peers} only, at TTL {@code newMinTtl} or more. */
    public RouterConfig withUnicastPeers(List<InetAddress> peers, int newMinTtl) {
        return new RouterConfig(name, version, virtualRouterId, priority, advertIntervalCentis, preempt,
                preemptDelay, virtualAddresses, primaryAddress, peers, newMinTtl, authType, authData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterConfig c && name.equals(c.name) && version == c.version
                && virtualRouterId == c.virtualRouterId && priority == c.priority
                && advertIntervalCentis == c.advertIntervalCentis && preempt == c.preempt
                && preemptDelay.equals(c.preemptDelay) && virtualAddresses.equals(c.virtualAddresses)
                && primaryAddress.equals(c.primaryAddress) && unicastPeers.equals(c.unicastPeers) && minTtl == c.minTtl
                && authType == c.authType && Arrays.equals(authData, c.authData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, virtualRouterId, priority, advertIntervalCentis, virtualAddresses,
                primaryAddress);
    }

    /** Never prints the authentication bytes. */
    @Override
    public String toString() {
        return "RouterConfig[" + name + ", v" + version.byteValue() + ", vrid=" + virtualRouterId + ", prio="
                + priority + ", intvl=" + advertIntervalCentis + "cs, preempt=" + preempt + ", vips="
                + virtualAddresses + ", primary=" + primaryAddress + (unicastPeers.isEmpty() ? "" : ", peers=" + unicastPeers
                + ", minTtl=" + minTtl) + "]";
    }
}
