package io.vipkeeper.vrrp.protocol;

import java.time.Duration;
import java.util.Optional;

/**
 * VRRP protocol version: the value of the high nibble of the first header byte and the rules that
 * follow from it (advertisement interval units, address families, authentication).
 *
 * <p>Numbering follows the RFCs and is append-only.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3768#section-5.3.1">RFC 3768 §5.3.1 (v2)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-5.2.1">RFC 9568 §5.2.1 (v3)</a>
 */
public enum VrrpVersion {
    /** RFC 3768: IPv4 only, Adver Int in whole seconds (8 bits), optional authentication. */
    V2(2),
    /** RFC 9568 (obsoletes RFC 5798): IPv4 and IPv6, Max Adver Int in centiseconds (12 bits). */
    V3(3);

    private final int number;

    VrrpVersion(int number) {
        this.number = number;
    }

    /** The version number carried on the wire. */
    public int byteValue() {
        return number;
    }

    /** The version with this wire number, if there is one. */
    public static Optional<VrrpVersion> valueOf(int number) {
        for (VrrpVersion v : values()) {
            if (v.number == number) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Whether this version can carry IPv6 virtual addresses (only v3). */
    public boolean supportsIpv6() {
        return this == V3;
    }

    /**
     * Why {@code interval} cannot be sent as this version's advertisement interval, or empty if it
     * can. v2 carries whole seconds 1..255; v3 carries centiseconds 1..4095 (10 ms..40.95 s).
     */
    public Optional<String> advertIntervalProblem(Duration interval) {
        long ms = interval.toMillis();
        if (this == V2) {
            if (interval.toNanos() % 1_000_000_000L != 0 || ms < 1_000 || ms > 255_000) {
                return Optional.of("VRRPv2 carries whole seconds 1s..255s");
            }
        } else if (interval.toNanos() % 10_000_000L != 0 || ms < 10 || ms > 40_950) {
            return Optional.of("VRRPv3 carries 10ms..40950ms in steps of 10ms");
        }
        return Optional.empty();
    }
}
