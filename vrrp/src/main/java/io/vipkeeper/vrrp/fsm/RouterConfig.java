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
 * @param preemptDelay after start, act as if Preempt_Mode were false for this long (keepalived's
 *     preempt_delay)
 * @param virtualAddresses the addresses advertised and owned as master
 * @param primaryAddress our source address: own-packet detection and the equal-priority tie-break
 * @param acceptAnyTtl accept TTL/hop limit other than 255 (unicast across routers)
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
        boolean acceptAnyTtl,
        V2AuthType authType,
        byte[] authData) {

    /** Validates through {@link VrrpAdvertisement}'s own checks. */
    public RouterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(primaryAddress, "primaryAddress");
        virtualAddresses = List.copyOf(virtualAddresses);
        authData = authData.clone();
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException("priority must be 1..255: " + priority);
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
                primary, false, V2AuthType.NONE, new byte[0]);
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
                newDelay, virtualAddresses, primaryAddress, acceptAnyTtl, authType, authData);
    }

    /** This config with another configured priority. */
    public RouterConfig withPriority(int newPriority) {
        return new RouterConfig(name, version, virtualRouterId, newPriority, advertIntervalCentis, preempt,
                preemptDelay, virtualAddresses, primaryAddress, acceptAnyTtl, authType, authData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterConfig c && name.equals(c.name) && version == c.version
                && virtualRouterId == c.virtualRouterId && priority == c.priority
                && advertIntervalCentis == c.advertIntervalCentis && preempt == c.preempt
                && preemptDelay.equals(c.preemptDelay) && virtualAddresses.equals(c.virtualAddresses)
                && primaryAddress.equals(c.primaryAddress) && acceptAnyTtl == c.acceptAnyTtl
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
                + virtualAddresses + ", primary=" + primaryAddress + "]";
    }
}
