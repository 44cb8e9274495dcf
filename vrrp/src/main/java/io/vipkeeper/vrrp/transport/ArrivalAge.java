package io.vipkeeper.vrrp.transport;

/**
 * Turns a kernel receive timestamp (CLOCK_REALTIME, the only clock SIOCGSTAMPNS offers) into an
 * age that the monotonic timers can use. A duration measured on the wall clock is good on the
 * monotonic one too, unless the wall clock was stepped in between (NTP, an operator): an age that
 * comes out negative or longer than {@link #MAX_NANOS} is such a step, not a real delay, and
 * counts as unknown (0), which is what the timers did before they knew the arrival time.
 */
public final class ArrivalAge {
    /** The oldest age believed: no advert waits a second on a healthy VRRP loop. */
    public static final long MAX_NANOS = 1_000_000_000L;

    private ArrivalAge() {
    }

    /** {@code nowNanos - arrivalNanos} (both CLOCK_REALTIME), or 0 if outside 0..{@link #MAX_NANOS}. */
    public static long fromRealtime(long nowNanos, long arrivalNanos) {
        long age = nowNanos - arrivalNanos;
        return age < 0 || age > MAX_NANOS ? 0 : age;
    }
}
