package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.protocol.VrrpVersion;

/**
 * The RFC's timer formulas, in nanoseconds.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-6.1">RFC 9568 §6.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3768#section-6.1">RFC 3768 §6.1</a>
 */
public final class RouterTimers {
    private static final long NANOS_PER_CENTI = 10_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RouterTimers() {
    }

    /** An interval in centiseconds as nanoseconds. */
    public static long centisToNanos(int centis) {
        return centis * NANOS_PER_CENTI;
    }

    /**
     * Skew_Time. v3: {@code ((256 - priority) * Master_Adver_Interval) / 256}; v2:
     * {@code (256 - priority) / 256} seconds.
     */
    public static long skewNanos(VrrpVersion version, int priority, int masterAdverIntervalCentis) {
        if (version == VrrpVersion.V2) {
            return (256 - priority) * NANOS_PER_SECOND / 256;
        }
        return (256 - priority) * centisToNanos(masterAdverIntervalCentis) / 256;
    }

    /**
     * What remains of a timer that RFC 9568 §6.4.2 starts when an advert is received (Master_Down_Timer,
     * or Skew_Time after a priority 0), for an advert that arrived {@code ageNanos} ago: never below 0.
     */
    public static long sinceReception(long intervalNanos, long ageNanos) {
        return Math.max(0, intervalNanos - ageNanos);
    }

    /** Master_Down_Interval = {@code 3 * Master_Adver_Interval + Skew_Time}. */
    public static long masterDownNanos(VrrpVersion version, int priority, int masterAdverIntervalCentis) {
        return 3 * centisToNanos(masterAdverIntervalCentis)
                + skewNanos(version, priority, masterAdverIntervalCentis);
    }
}
