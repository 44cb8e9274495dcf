package io.vipkeeper.vrrp.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP ADVERTISEMENT as carried on the wire (v2 or v3), without the IP header around it.
 *
 * @param version 2 or 3
 * @param virtualRouterId VRID, 1..255
 * @param priority 0..255 ({@link VrrpPriority})
 * @param maxAdverIntervalCentis Max Adver Int in centiseconds (v3: 12 bits; v2 carries whole
 *     seconds, so it is a multiple of 100 there)
 * @param addresses the virtual addresses, all IPv4 or all IPv6
 * @param authType v2 authentication type; {@link V2AuthType#NONE} for v3
 * @param authData v2: the 8 authentication bytes after the addresses; empty for v3
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-5.1">RFC 9568 §5.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3768#section-5.1">RFC 3768 §5.1</a>
 */
public record VrrpAdvertisement(
        VrrpVersion version,
        int virtualRouterId,
        int priority,
        int maxAdverIntervalCentis,
        List<InetAddress> addresses,
        V2AuthType authType,
        byte[] authData) {

    /** Bytes of v2 authentication data after the addresses. */
    public static final int V2_AUTH_DATA_LENGTH = 8;
    /** Bytes of the fixed header before the addresses. */
    public static final int HEADER_LENGTH = 8;

    /** Checks ranges so an advertisement that exists can always be encoded. */
    public VrrpAdvertisement {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(authType, "authType");
        addresses = List.copyOf(addresses);
        authData = authData.clone();
        if (virtualRouterId < 1 || virtualRouterId > 255) {
            throw new IllegalArgumentException("VRID must be 1..255: " + virtualRouterId);
        }
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority must be 0..255: " + priority);
        }
        if (addresses.size() > 255) {
            throw new IllegalArgumentException("at most 255 addresses");
        }
        boolean v6 = !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
        for (InetAddress a : addresses) {
            if ((a instanceof Inet6Address) != v6) {
                throw new IllegalArgumentException("addresses of mixed families");
            }
        }
        if (version == VrrpVersion.V2) {
            if (v6) {
                throw new IllegalArgumentException("VRRPv2 carries IPv4 addresses only");
            }
            if (maxAdverIntervalCentis % 100 != 0 || maxAdverIntervalCentis < 100
                    || maxAdverIntervalCentis > 25_500) {
                throw new IllegalArgumentException("VRRPv2 interval must be 1..255 s");
            }
            if (authData.length != V2_AUTH_DATA_LENGTH) {
                throw new IllegalArgumentException("VRRPv2 auth data is 8 bytes");
            }
        } else {
            if (maxAdverIntervalCentis < 1 || maxAdverIntervalCentis > 0xfff) {
                throw new IllegalArgumentException("VRRPv3 interval must be 1..4095 cs");
            }
            if (authType != V2AuthType.NONE || authData.length != 0) {
                throw new IllegalArgumentException("VRRPv3 has no authentication");
            }
        }
    }

    /** A v3 advertisement. */
    public static VrrpAdvertisement v3(int vrid, int priority, int intervalCentis, List<InetAddress> addresses) {
        return new VrrpAdvertisement(VrrpVersion.V3, vrid, priority, intervalCentis, addresses,
                V2AuthType.NONE, new byte[0]);
    }

    /** A v2 advertisement; {@code authData} is 8 bytes. */
    public static VrrpAdvertisement v2(int vrid, int priority, int intervalSeconds, List<InetAddress> addresses,
            V2AuthType authType, byte[] authData) {
        return new VrrpAdvertisement(VrrpVersion.V2, vrid, priority, intervalSeconds * 100, addresses,
                authType, authData);
    }

    /** Whether the addresses are IPv6. */
    public boolean isIpv6() {
        return !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
    }

    /** The length of the encoded message in bytes. */
    public int encodedLength() {
        int addressBytes = addresses.size() * (isIpv6() ? 16 : 4);
        return HEADER_LENGTH + addressBytes + authData.length;
    }

    /** A copy of the v2 authentication bytes. */
    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /** This advertisement with another priority (the priority-0 advert on stop, say). */
    public VrrpAdvertisement withPriority(int newPriority) {
        return new VrrpAdvertisement(version, virtualRouterId, newPriority, maxAdverIntervalCentis, addresses,
                authType, authData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpAdvertisement a && version == a.version && virtualRouterId == a.virtualRouterId
                && priority == a.priority && maxAdverIntervalCentis == a.maxAdverIntervalCentis
                && addresses.equals(a.addresses) && authType == a.authType
                && Arrays.equals(authData, a.authData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, virtualRouterId, priority, maxAdverIntervalCentis, addresses, authType,
                Arrays.hashCode(authData));
    }

    /** Never prints the authentication bytes: they may be a password. */
    @Override
    public String toString() {
        return "VRRPv" + version.byteValue() + "[vrid=" + virtualRouterId + ", prio=" + priority
                + ", intvl=" + maxAdverIntervalCentis + "cs, addrs=" + addresses
                + (version == VrrpVersion.V2 ? ", auth=" + authType : "") + "]";
    }
}
