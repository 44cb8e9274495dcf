package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.protocol.HmacTrailer;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * HMAC-SHA256 trailer authentication of one virtual router, as keepalived 2.4's auth_hmac: signs
 * with the active key (unless receive-only) and a clock-based, strictly growing sequence; on
 * receipt checks a trailer that is present in keepalived's order (malformed, stale, unknown key,
 * HMAC, replay) with the key its id names, so a pair rotates keys by adding one, switching the
 * active id, then dropping the old one; accepts adverts without a trailer in the migration modes.
 * Anti-replay is per sender (the last four, as keepalived's multicast table), and the high-water
 * mark moves only after the HMAC verified. Used on the VRRP loop only.
 */
public final class HmacAuth {
    /** Senders whose sequence is remembered (keepalived's VRRP_AUTH_HMAC_MCAST_SENDERS). */
    private static final int SENDERS = 4;

    private final VrrpVersion version;
    private final int vrid;
    private final HmacPolicy policy;
    private final LongSupplier wallClockMillis;
    /** The last sequence sent (keepalived's send_seq). */
    private long sendSequence;
    /** Per sender, the last accepted sequence, least recently used first. */
    private final Map<InetAddress, Long> marks = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Long> eldest) {
            return size() > SENDERS;
        }
    };

    /** Authenticates {@code vrid} of {@code version} as {@code policy} says, reading the wall clock for sequences. */
    public HmacAuth(VrrpVersion version, int vrid, HmacPolicy policy, LongSupplier wallClockMillis) {
        this.version = version;
        this.vrid = vrid;
        this.policy = policy;
        this.wallClockMillis = wallClockMillis;
    }

    /** The configuration this authenticates with. */
    public HmacPolicy policy() {
        return policy;
    }

    /**
     * Goes on from {@code earlier} (the router this one succeeds at a reload): its send sequence
     * and its senders' marks, so a reload neither sends a sequence peers have seen nor lets a
     * captured advert in again.
     */
    public void continueFrom(HmacAuth earlier) {
        sendSequence = earlier.sendSequence;
        marks.putAll(earlier.marks);
    }

    /** {@code message} with its trailer, sent from {@code source}; unchanged in receive-only mode. */
    public byte[] sign(byte[] message, InetAddress source) {
        if (!policy.mode().signs()) {
            return message;
        }
        return HmacTrailer.sign(message, version.byteValue(), vrid, source, policy.activeKey(),
                policy.key(policy.activeKey()), nextSequence());
    }

    /**
     * keepalived's next_seq: the clock, or the last sequence plus one when the clock has not moved
     * past it; in time mode a sequence stranded more than the window ahead of the clock (the clock
     * was stepped back) restarts from the clock, since peers would refuse it as stale.
     */
    private long nextSequence() {
        long clock = HmacTrailer.clockSequence(wallClockMillis.getAsLong());
        if (clock - sendSequence > 0) {
            sendSequence = clock;
        } else if (policy.timeWindow() && (int) ((sendSequence >>> 32) - (clock >>> 32)) > policy.windowSeconds()) {
            sendSequence = clock;
        } else {
            sendSequence++;
        }
        return sendSequence;
    }

    /**
     * The packet without its trailer if the trailer verifies, the packet as it is when it carries
     * no trailer and the mode accepts that, or the packet marked rejected for the result (one
     * {@link DropReason} per keepalived result). A length that is neither the message's nor the
     * message's plus a trailer is left to the decoder (it drops it as LENGTH).
     */
    public InboundPacket check(InboundPacket packet) {
        byte[] p = packet.payload();
        if (p.length < VrrpAdvertisement.HEADER_LENGTH) {
            return packet;
        }
        int perAddress = packet.source() instanceof Inet6Address ? 16 : 4;
        int auth = version == VrrpVersion.V2 ? VrrpAdvertisement.V2_AUTH_DATA_LENGTH : 0;
        int expected = VrrpAdvertisement.HEADER_LENGTH + (p[3] & 0xff) * perAddress + auth;
        if (p.length == expected) {
            return policy.mode().acceptsUnsigned() ? packet : packet.rejectedFor(DropReason.HMAC_MISSING);
        }
        if (p.length != expected + HmacTrailer.LENGTH) {
            return packet;
        }
        HmacTrailer.Result result = verify(p, packet.source());
        return result == HmacTrailer.Result.OK ? packet.withPayload(Arrays.copyOf(p, expected))
                : packet.rejectedFor(dropReason(result));
    }

    /** keepalived's vrrp_auth_hmac_check on a message followed by its trailer. */
    private HmacTrailer.Result verify(byte[] p, InetAddress source) {
        if (HmacTrailer.malformed(p)) {
            return HmacTrailer.Result.MALFORMED;
        }
        long seq = ByteBuffer.wrap(p).getLong(p.length - HmacTrailer.LENGTH + 4);
        long nowSeconds = Math.floorDiv(wallClockMillis.getAsLong(), 1000);
        // Before the costly HMAC: a flood of old captures costs no digest each. Only ever rejects.
        if (policy.timeWindow() && outsideWindow(nowSeconds, seq)) {
            return HmacTrailer.Result.STALE;
        }
        HmacTrailer.Result r = HmacTrailer.verify(p, version.byteValue(), vrid, source, policy::key);
        if (r != HmacTrailer.Result.OK) {
            return r;
        }
        Long mark = marks.get(source);
        // A mark outside the window only orders what the window already refuses; expiring it lets a
        // sender whose clock was stepped back in again.
        if (mark != null && policy.timeWindow() && outsideWindow(nowSeconds, mark)) {
            mark = null;
        }
        if (mark != null && seq - mark <= 0) {
            return HmacTrailer.Result.REPLAY;
        }
        marks.put(source, seq);
        return HmacTrailer.Result.OK;
    }

    /** Whether the seconds of {@code seq} are more than the window away from {@code nowSeconds} (mod 2^32). */
    private boolean outsideWindow(long nowSeconds, long seq) {
        int delta = (int) (nowSeconds - (seq >>> 32));
        return delta > policy.windowSeconds() || delta < -policy.windowSeconds();
    }

    /** The counter a failed check goes to. */
    static DropReason dropReason(HmacTrailer.Result result) {
        return switch (result) {
            case MALFORMED -> DropReason.HMAC_MALFORMED;
            case UNKNOWN_KEY -> DropReason.HMAC_UNKNOWN_KEY;
            case BAD_HMAC -> DropReason.HMAC_INVALID;
            case STALE -> DropReason.HMAC_STALE;
            case REPLAY -> DropReason.HMAC_REPLAY;
            case OK -> throw new IllegalArgumentException("OK is not a drop");
        };
    }
}
