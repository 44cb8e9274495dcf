package io.vipkeeper.vrrp.protocol;

/**
 * The virtual router MAC address of RFC 9568 §7.3: 00-00-5E-00-01-{VRID} for IPv4 and
 * 00-00-5E-00-02-{VRID} for IPv6, the source of a master's adverts and the address its VIPs
 * resolve to when the router owns a MAC of its own (keepalived's use_vmac).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-7.3">RFC 9568 §7.3</a>
 */
public final class VirtualMac {
    private VirtualMac() {
    }

    /** The six bytes for {@code virtualRouterId} (1..255) of the family given. */
    public static byte[] of(int virtualRouterId, boolean ipv6) {
        if (virtualRouterId < 1 || virtualRouterId > 255) {
            throw new IllegalArgumentException("VRID " + virtualRouterId + " outside 1..255");
        }
        return new byte[] {0x00, 0x00, 0x5e, 0x00, (byte) (ipv6 ? 0x02 : 0x01), (byte) virtualRouterId};
    }

    /** {@code mac} as "00:00:5e:00:01:33". */
    public static String text(byte[] mac) {
        StringBuilder s = new StringBuilder();
        for (byte b : mac) {
            if (s.length() > 0) {
                s.append(':');
            }
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
