package io.vipkeeper.vrrp.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.IntFunction;
import javax.crypto.Mac;

/**
 * keepalived's {@code auth_hmac} trailer (VRRP v2 and v3): 28 bytes after the VRRP message: ext
 * type 1 (HMAC-SHA256/128), key id, 2 reserved zero bytes, a 64-bit sequence (seconds, 1/65536 s,
 * counter, big-endian) and a 16-byte truncated HMAC-SHA256. The HMAC covers a 20-byte pseudo
 * header {4|6, version, vrid, 0, source address}, the message with its checksum read as zero, the
 * first 12 trailer bytes and 16 zero bytes. The IP header is not covered.
 */
public final class HmacTrailer {
    /** Trailer length. */
    public static final int LENGTH = 28;
    /** ext_type of HMAC-SHA256 truncated to 128 bits. */
    public static final int TYPE_SHA256 = 1;
    static final int HMAC_LENGTH = 16;
    static final int PSEUDO_LENGTH = 20;
    /** Key length bounds in bytes (keepalived's VRRP_AUTH_HMAC_KEY_MIN/MAX). */
    public static final int KEY_MIN = 32;
    public static final int KEY_MAX = 64;

    private HmacTrailer() {
    }

    /**
     * Verification outcome, as keepalived's vrrp_auth_hmac_result_t names them (STALE: the
     * timestamp is outside the freshness window; REPLAY: the sequence did not grow). Append-only.
     */
    public enum Result {
        OK, MALFORMED, UNKNOWN_KEY, BAD_HMAC, STALE, REPLAY
    }

    /**
     * A key as keepalived's auth_hmac reads it: after {@code hex:} the bytes in hex, else the text's
     * own bytes (ASCII); empty when the hex is not hex. The length is not checked (see {@link
     * #parseKey}).
     */
    public static Optional<byte[]> decodeKey(String text) {
        if (!text.startsWith("hex:")) {
            return Optional.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            return Optional.of(HexFormat.of().parseHex(text.substring(4)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A key written as keepalived writes it ({@link #decodeKey}) that is 32..64 bytes long. */
    public static Optional<byte[]> parseKey(String text) {
        return decodeKey(text).filter(k -> k.length >= KEY_MIN && k.length <= KEY_MAX);
    }

    /** Whether the trailer at the end of {@code packet} has another ext type or non-zero reserved bytes. */
    public static boolean malformed(byte[] packet) {
        int t = packet.length - LENGTH;
        return (packet[t] & 0xff) != TYPE_SHA256 || packet[t + 2] != 0 || packet[t + 3] != 0;
    }

    /** The key id the trailer at the end of {@code packet} names. */
    public static int keyId(byte[] packet) {
        return packet[packet.length - LENGTH + 1] & 0xff;
    }

    /** The sequence for a wall clock reading: seconds high, 16-bit fraction, counter zero. */
    public static long clockSequence(long epochMillis) {
        long seconds = epochMillis / 1000;
        long fraction = ((epochMillis % 1000) << 16) / 1000;
        return (seconds << 32) | (fraction << 16);
    }

    /** {@code message} followed by its signed trailer. */
    public static byte[] sign(byte[] message, int version, int vrid, InetAddress source, int keyId, byte[] key,
            long sequence) {
        byte[] out = Arrays.copyOf(message, message.length + LENGTH);
        ByteBuffer t = ByteBuffer.wrap(out, message.length, LENGTH);
        t.put((byte) TYPE_SHA256).put((byte) keyId).putShort((short) 0).putLong(sequence);
        byte[] mac = hmac(key, pseudo(version, vrid, source), out, message.length);
        System.arraycopy(mac, 0, out, message.length + 12, HMAC_LENGTH);
        return out;
    }

    /** Checks the trailer at the end of {@code packet} (message + 28 bytes) against the one key {@code keyId}. */
    public static Result verify(byte[] packet, int version, int vrid, InetAddress source, int keyId, byte[] key) {
        return verify(packet, version, vrid, source, id -> id == keyId ? key : null);
    }

    /**
     * Checks the trailer at the end of {@code packet} (message + 28 bytes) with the key its key id
     * names in {@code keys} (null: no such key). Freshness and replay are the caller's.
     */
    public static Result verify(byte[] packet, int version, int vrid, InetAddress source, IntFunction<byte[]> keys) {
        if (packet.length < VrrpAdvertisement.HEADER_LENGTH + LENGTH) {
            return Result.MALFORMED;
        }
        if (malformed(packet)) {
            return Result.MALFORMED;
        }
        int t = packet.length - LENGTH;
        byte[] key = keys.apply(packet[t + 1] & 0xff);
        if (key == null) {
            return Result.UNKNOWN_KEY;
        }
        byte[] mac = hmac(key, pseudo(version, vrid, source), packet, t);
        return MessageDigest.isEqual(mac, Arrays.copyOfRange(packet, t + 12, t + 12 + HMAC_LENGTH)) ? Result.OK
                : Result.BAD_HMAC;
    }

    /** The trailer's 64-bit sequence. */
    public static long sequence(byte[] packet) {
        return ByteBuffer.wrap(packet).getLong(packet.length - LENGTH + 4);
    }

    private static byte[] pseudo(int version, int vrid, InetAddress source) {
        byte[] p = new byte[PSEUDO_LENGTH];
        p[0] = (byte) (source instanceof Inet6Address ? 6 : 4);
        p[1] = (byte) version;
        p[2] = (byte) vrid;
        byte[] a = source.getAddress();
        System.arraycopy(a, 0, p, 4, a.length);
        return p;
    }

    private static byte[] hmac(byte[] key, byte[] pseudo, byte[] packet, int messageLength) {
        Mac mac = Macs.keyed("HmacSHA256", key);
        mac.update(pseudo);
        mac.update(packet, 0, 6);
        mac.update(new byte[2]);
        mac.update(packet, 8, messageLength - 8);
        mac.update(packet, messageLength, 12);
        mac.update(new byte[HMAC_LENGTH]);
        return Arrays.copyOf(mac.doFinal(), HMAC_LENGTH);
    }
}
