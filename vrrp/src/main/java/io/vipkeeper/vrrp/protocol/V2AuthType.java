package io.vipkeeper.vrrp.protocol;

import java.util.Optional;

/**
 * VRRPv2 authentication type (byte 4 of a v2 header). v3 removed authentication.
 *
 * <p>Numbering follows RFC 2338 §5.3.6 (kept by keepalived) and is append-only.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2338#section-5.3.6">RFC 2338 §5.3.6</a>
 */
public enum V2AuthType {
    /** No authentication; the 8 auth bytes are zero. */
    NONE(0),
    /** Simple text password in the 8 auth bytes, zero-padded. */
    SIMPLE_TEXT(1),
    /** IPsec AH (HMAC-MD5-96) around the packet; the 8 auth bytes are zero. */
    IP_AH(2);

    private final int number;

    V2AuthType(int number) {
        this.number = number;
    }

    /** The type number carried on the wire. */
    public int byteValue() {
        return number;
    }

    /** The type with this wire number, if there is one. */
    public static Optional<V2AuthType> valueOf(int number) {
        for (V2AuthType t : values()) {
            if (t.number == number) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
