package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.protocol.HmacTrailer;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * HMAC-SHA256 trailer authentication of one virtual router (keepalived's auth_hmac in enforce mode,
 * key id 1): signs every advert with a clock-based, strictly growing sequence and on receipt
 * requires a valid trailer and, per sender, a growing sequence (monotonic anti-replay, keeping
 * the last four senders as keepalived does). Used on the VRRP loop only.
 */
public final class HmacAuth {
    static final int KEY_ID = 1;
    private static final int SENDERS = 4;

    private final VrrpVersion version;
    private final int vrid;
    private final byte[] key;
    private final LongSupplier wallClockMillis;
    private long sendSequence;
    private final Map<InetAddress, Long> lastSeen = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Long> eldest) {
            return size() > SENDERS;
        }
    };

    /** Authenticates {@code vrid} of {@code version} with {@code key} (32..64 bytes). */
    public HmacAuth(VrrpVersion version, int vrid, byte[] key, LongSupplier wallClockMillis) {
        this.version = version;
        this.vrid = vrid;
        this.key = key.clone();
        this.wallClockMillis = wallClockMillis;
    }

    /** {@code message} with its trailer, sent from {@code source}. */
    public byte[] sign(byte[] message, InetAddress source) {
        long clock = HmacTrailer.clockSequence(wallClockMillis.getAsLong());
        sendSequence = clock - sendSequence > 0 ? clock : sendSequence + 1;
        return HmacTrailer.sign(message, version.byteValue(), vrid, source, KEY_ID, key, sendSequence);
    }

    /**
     * The packet without its trailer if the trailer verifies and is fresh, or the packet marked
     * rejected (AUTHENTICATION) otherwise. Packets of a length without a trailer are rejected too.
     */
    public InboundPacket check(InboundPacket packet) {
        byte[] p = packet.payload();
        if (p.length < VrrpAdvertisement.HEADER_LENGTH + HmacTrailer.LENGTH) {
            return reject(packet);
        }
        int perAddress = packet.source() instanceof Inet6Address ? 16 : 4;
        int auth = version == VrrpVersion.V2 ? VrrpAdvertisement.V2_AUTH_DATA_LENGTH : 0;
        int expected = VrrpAdvertisement.HEADER_LENGTH + (p[3] & 0xff) * perAddress + auth;
        if (p.length != expected + HmacTrailer.LENGTH
                || HmacTrailer.verify(p, version.byteValue(), vrid, packet.source(), KEY_ID, key)
                        != HmacTrailer.Result.OK) {
            return reject(packet);
        }
        long seq = HmacTrailer.sequence(p);
        Long last = lastSeen.get(packet.source());
        if (last != null && seq - last <= 0) {
            return reject(packet);
        }
        lastSeen.put(packet.source(), seq);
        byte[] message = java.util.Arrays.copyOf(p, expected);
        return packet.withPayload(message);
    }

    private static InboundPacket reject(InboundPacket p) {
        return p.rejectedFor(DropReason.AUTHENTICATION);
    }
}
