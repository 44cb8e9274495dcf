package io.vipkeeper.vrrp.linux;

import static io.vipkeeper.vrrp.linux.LinuxConstants.CLOCK_REALTIME;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SIOCGSTAMPNS;

import io.vipkeeper.vrrp.transport.ArrivalAge;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The kernel's receive timestamp of the datagram a socket delivered last, as an age. RFC 9568
 * runs Master_Down_Timer and Skew_Time from the advert's reception; the time user space takes to
 * wake and read (epoll after a second of idleness, the JVM) would otherwise delay every takeover.
 *
 * <p>SIOCGSTAMPNS rather than SO_TIMESTAMPNS control messages: the IPv4 socket reads with
 * recvfrom, which has no room for them, and one mechanism serves IPv4, IPv6 and AH alike. The
 * first ioctl turns timestamping on for the socket (and answers ENOENT: nothing received yet), so
 * {@link #enable} calls it when the socket opens. From then on every read stores that datagram's
 * stamp, so the answer never belongs to an earlier packet; a datagram that arrived while the
 * kernel was still switching stamping on gets the time of the ioctl, an age of about 0, as before.
 * What the age leaves out (decoding, up to the timer's arming) is microseconds and only errs late.
 * Not thread-safe: the socket's event loop only. struct timespec is two 64-bit fields on x86_64.
 */
final class ReceiveTimestamp {
    private final int fd;
    private final Pointer arrival = Memory.allocateDirect(Native.RUNTIME, 16);
    private final Pointer now = Memory.allocateDirect(Native.RUNTIME, 16);

    private ReceiveTimestamp(int fd) {
        this.fd = fd;
    }

    /** Turns on receive timestamps for {@code fd}, whose packets have no age until then. */
    static ReceiveTimestamp enable(int fd) {
        ReceiveTimestamp t = new ReceiveTimestamp(fd);
        t.arrivalNanos();
        return t;
    }

    /**
     * How long ago the datagram just read reached the host, 0 if unknown (no stamp yet, or the
     * wall clock stepped: see {@link ArrivalAge}). Call right after a successful receive.
     */
    long ageNanos() {
        long arrivalNanos = arrivalNanos();
        if (arrivalNanos == 0 || Native.LIBC.clock_gettime(CLOCK_REALTIME, now) < 0) {
            return 0;
        }
        return ArrivalAge.fromRealtime(nanos(now), arrivalNanos);
    }

    /** The last datagram's CLOCK_REALTIME arrival in ns, or 0 if the kernel has none. */
    private long arrivalNanos() {
        return Native.LIBC.ioctl(fd, SIOCGSTAMPNS, arrival) < 0 ? 0 : nanos(arrival);
    }

    private static long nanos(Pointer timespec) {
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }
}
