package io.vipkeeper.vrrp.protocol;

import java.util.Optional;

/**
 * VRRP packet type: the low nibble of the first header byte. Only ADVERTISEMENT is defined.
 *
 * <p>Numbering follows the RFCs and is append-only.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-5.2.2">RFC 9568 §5.2.2</a>
 */
public enum VrrpPacketType {
    /** The only type: a master's periodic announcement. */
    ADVERTISEMENT(1);

    private final int number;

    VrrpPacketType(int number) {
        this.number = number;
    }

    /** The type number carried on the wire. */
    public int byteValue() {
        return number;
    }

    /** The type with this wire number, if there is one. */
    public static Optional<VrrpPacketType> valueOf(int number) {
        for (VrrpPacketType t : values()) {
            if (t.number == number) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
