package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.HmacTrailer;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * keepalived 2.4's auth_hmac semantics (test/auth_hmac_test.c and vrrp_auth_hmac.c): the draft
 * appendix IPv6 vector (key 00..1f, id 1, VRID 51, sequence 0x6800000080000000) against key rings,
 * the freshness window, replay marks, the send sequence and the three modes.
 */
class HmacAuthTest {
    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] KEY2 = filled(0x22, 48);
    private static final byte[] VECTOR = HexFormat.of().parseHex("3133c8010064a2e9"
            + "fe800000000000000000000000000100" + "010100006800000080000000" + "c8c56146ebfd66ee10ec4d8186461b78");
    private static final InetAddress SRC6 = SimulatedSegment.ip("fe80::10");
    /** The vector's timestamp in milliseconds: a clock at which it is fresh. */
    private static final long VECTOR_MILLIS = 0x68000000L * 1000 + 500;
    private static final InetAddress A = SimulatedSegment.ip("198.18.100.1");
    private static final InetAddress B = SimulatedSegment.ip("198.18.100.2");

    private final AtomicLong clock = new AtomicLong(VECTOR_MILLIS);

    private static byte[] filled(int b, int n) {
        byte[] k = new byte[n];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private static HmacPolicy policy(Map<Integer, byte[]> keys, int active, HmacMode mode, boolean time) {
        return new HmacPolicy(keys, active, mode, time, 5);
    }

    private HmacAuth auth(HmacPolicy p) {
        return new HmacAuth(VrrpVersion.V3, 51, p, clock::get);
    }

    private static InboundPacket vector6(byte[] bytes) {
        return new InboundPacket(SRC6, VrrpMulticast.groupFor(SRC6), 255, bytes);
    }

    private static byte[] advert(InetAddress from) {
        return VrrpEncoder.encode(VrrpAdvertisement.v3(51, 200, 100, List.of(SimulatedSegment.VIP)), from,
                VrrpMulticast.IPV4);
    }

    private static InboundPacket from(InetAddress source, byte[] bytes) {
        return new InboundPacket(source, VrrpMulticast.IPV4, 255, bytes);
    }

    private static DropReason verdict(InboundPacket checked) {
        return checked.rejected();
    }

    @Test
    void theVectorVerifiesWithKeyOneOfARingAndCutsTheTrailer() {
        HmacAuth ring = auth(policy(Map.of(1, KEY, 2, KEY2), 2, HmacMode.ENFORCE, true));
        InboundPacket ok = ring.check(vector6(VECTOR));
        assertNull(verdict(ok));
        assertArrayEquals(Arrays.copyOf(VECTOR, 24), ok.payload());
    }

    @Test
    void aDroppedKeyIsUnknownAndAnotherKeyUnderItsIdIsInvalid() {
        assertEquals(DropReason.HMAC_UNKNOWN_KEY,
                verdict(auth(policy(Map.of(2, KEY2), 2, HmacMode.ENFORCE, true)).check(vector6(VECTOR))));
        assertEquals(DropReason.HMAC_INVALID,
                verdict(auth(policy(Map.of(1, KEY2), 1, HmacMode.ENFORCE, true)).check(vector6(VECTOR))));
        byte[] type2 = VECTOR.clone();
        type2[24] = 2;
        assertEquals(DropReason.HMAC_MALFORMED,
                verdict(auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true)).check(vector6(type2))));
    }

    @Test
    void replayedIsRefusedOnceSeenButASecondReceiverTakesTheSameCopy() {
        HmacAuth first = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true));
        assertNull(verdict(first.check(vector6(VECTOR))));
        assertEquals(DropReason.HMAC_REPLAY, verdict(first.check(vector6(VECTOR))));
        assertNull(verdict(auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true)).check(vector6(VECTOR))));
    }

    @Test
    void aTimestampOutsideTheWindowIsStaleBeforeAnyKeyIsLookedUp() {
        HmacAuth time = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true));
        clock.set(VECTOR_MILLIS + 6_000);
        assertEquals(DropReason.HMAC_STALE, verdict(time.check(vector6(VECTOR))));
        clock.set(VECTOR_MILLIS - 6_000);
        assertEquals(DropReason.HMAC_STALE, verdict(time.check(vector6(VECTOR))));
        HmacAuth noKey = auth(policy(Map.of(2, KEY2), 2, HmacMode.ENFORCE, true));
        assertEquals(DropReason.HMAC_STALE, verdict(noKey.check(vector6(VECTOR))), "stale is judged first");
        clock.set(VECTOR_MILLIS + 5_000);
        assertNull(verdict(time.check(vector6(VECTOR))), "5 s is inside a 5 s window");
        clock.set(VECTOR_MILLIS + 3_600_000);
        assertNull(verdict(auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, false)).check(vector6(VECTOR))),
                "monotonic has no window");
    }

    @Test
    void aMarkStrandedPastTheWindowExpiresInTimeModeButNotInMonotonic() {
        long t = 1_800_000_000_000L;
        for (boolean timeMode : new boolean[] {true, false}) {
            clock.set(t + 3_600_000);
            HmacAuth sender = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, timeMode));
            HmacAuth receiver = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, timeMode));
            assertNull(verdict(receiver.check(from(A, sender.sign(advert(A), A)))));
            clock.set(t); // both clocks stepped back an hour
            HmacAuth restarted = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, timeMode));
            byte[] signed = restarted.sign(advert(A), A);
            if (timeMode) {
                assertNull(verdict(receiver.check(from(A, signed))), "expired future mark");
                assertEquals(DropReason.HMAC_REPLAY, verdict(receiver.check(from(A, signed))), "replay after expiry");
            } else {
                assertEquals(DropReason.HMAC_REPLAY, verdict(receiver.check(from(A, signed))),
                        "monotonic keeps its mark");
            }
        }
    }

    @Test
    void theSendSequenceGrowsAndRestartsFromTheClockOnlyInTimeMode() {
        long t = 1_800_000_000_000L;
        clock.set(t + 3_600_000);
        HmacAuth time = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true));
        HmacAuth mono = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, false));
        long timeAhead = HmacTrailer.sequence(time.sign(advert(A), A));
        long monoAhead = HmacTrailer.sequence(mono.sign(advert(A), A));
        assertEquals(HmacTrailer.sequence(time.sign(advert(A), A)), timeAhead + 1, "same clock: counter + 1");
        clock.set(t);
        assertEquals(HmacTrailer.clockSequence(t), HmacTrailer.sequence(time.sign(advert(A), A)), "clock step reset");
        assertEquals(monoAhead + 1, HmacTrailer.sequence(mono.sign(advert(A), A)), "monotonic keeps growth");
    }

    @Test
    void signingUsesTheActiveKeyId() {
        HmacAuth a = auth(policy(Map.of(1, KEY, 7, KEY2), 7, HmacMode.ENFORCE, true));
        byte[] signed = a.sign(advert(A), A);
        assertEquals(7, HmacTrailer.keyId(signed));
        assertEquals(HmacTrailer.Result.OK, HmacTrailer.verify(signed, 3, 51, A, 7, KEY2));
    }

    @Test
    void migrationModesAcceptUnsignedAdvertsAndReceiveOnlySignsNothing() {
        byte[] plain = advert(A);
        HmacAuth receiveOnly = auth(policy(Map.of(1, KEY), 1, HmacMode.RECEIVE_ONLY, true));
        assertSame(plain, receiveOnly.sign(plain, A));
        assertNull(verdict(receiveOnly.check(from(A, plain))));
        assertNull(verdict(auth(policy(Map.of(1, KEY), 1, HmacMode.PERMISSIVE, true)).check(from(A, plain))));
        assertEquals(DropReason.HMAC_MISSING,
                verdict(auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true)).check(from(A, plain))));
        HmacAuth other = auth(policy(Map.of(1, KEY2), 1, HmacMode.PERMISSIVE, true));
        assertEquals(DropReason.HMAC_INVALID, verdict(receiveOnly.check(from(A, other.sign(plain, A)))),
                "a trailer that is present is verified in every mode");
    }

    @Test
    void keepalivedsThreeRotationSweepsKeepEveryAdvertAccepted() {
        byte[] k1 = KEY;
        byte[] k2 = KEY2;
        List<List<HmacPolicy>> steps = List.of(
                List.of(policy(Map.of(1, k1), 1, HmacMode.ENFORCE, true), policy(Map.of(1, k1), 1, HmacMode.ENFORCE, true)),
                List.of(policy(Map.of(1, k1, 2, k2), 1, HmacMode.ENFORCE, true),
                        policy(Map.of(1, k1), 1, HmacMode.ENFORCE, true)),
                List.of(policy(Map.of(1, k1, 2, k2), 1, HmacMode.ENFORCE, true),
                        policy(Map.of(1, k1, 2, k2), 1, HmacMode.ENFORCE, true)),
                List.of(policy(Map.of(1, k1, 2, k2), 2, HmacMode.ENFORCE, true),
                        policy(Map.of(1, k1, 2, k2), 1, HmacMode.ENFORCE, true)),
                List.of(policy(Map.of(1, k1, 2, k2), 2, HmacMode.ENFORCE, true),
                        policy(Map.of(1, k1, 2, k2), 2, HmacMode.ENFORCE, true)),
                List.of(policy(Map.of(2, k2), 2, HmacMode.ENFORCE, true),
                        policy(Map.of(1, k1, 2, k2), 2, HmacMode.ENFORCE, true)),
                List.of(policy(Map.of(2, k2), 2, HmacMode.ENFORCE, true), policy(Map.of(2, k2), 2, HmacMode.ENFORCE, true)));
        HmacAuth a = null;
        HmacAuth b = null;
        for (List<HmacPolicy> step : steps) {
            HmacAuth na = auth(step.get(0));
            HmacAuth nb = auth(step.get(1));
            if (a != null) {
                na.continueFrom(a);
                nb.continueFrom(b);
            }
            a = na;
            b = nb;
            for (int i = 0; i < 3; i++) {
                clock.addAndGet(100);
                assertNull(verdict(b.check(from(A, a.sign(advert(A), A)))), "b hears a at " + step);
                assertNull(verdict(a.check(from(B, b.sign(advert(B), B)))), "a hears b at " + step);
            }
        }
        HmacAuth oldKey = auth(policy(Map.of(1, k1), 1, HmacMode.ENFORCE, true));
        assertEquals(DropReason.HMAC_UNKNOWN_KEY, verdict(b.check(from(A, oldKey.sign(advert(A), A)))),
                "key 1 is gone after the third sweep");
    }

    @Test
    void aSuccessorKeepsTheMarksSoAReloadLetsNoReplayIn() {
        HmacAuth sender = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true));
        HmacAuth before = auth(policy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true));
        byte[] captured = sender.sign(advert(A), A);
        assertNull(verdict(before.check(from(A, captured))));
        HmacAuth after = auth(policy(Map.of(1, KEY, 2, KEY2), 1, HmacMode.ENFORCE, true));
        after.continueFrom(before);
        assertEquals(DropReason.HMAC_REPLAY, verdict(after.check(from(A, captured))));
        HmacAuth senderAfter = auth(policy(Map.of(1, KEY, 2, KEY2), 1, HmacMode.ENFORCE, true));
        senderAfter.continueFrom(sender);
        byte[] next = senderAfter.sign(advert(A), A);
        assertEquals(ByteBuffer.wrap(captured).getLong(captured.length - 24) + 1, HmacTrailer.sequence(next),
                "the clock has not moved: the successor goes on from the last sequence sent");
        assertNull(verdict(after.check(from(A, next))));
    }

    @Test
    void aPolicyNamesItsActiveKeyAndKeepsToKeepalivedsBounds() {
        assertThrows(IllegalArgumentException.class, () -> policy(Map.of(1, KEY), 2, HmacMode.ENFORCE, true));
        assertThrows(IllegalArgumentException.class, () -> policy(Map.of(1, new byte[31]), 1, HmacMode.ENFORCE, true));
        assertThrows(IllegalArgumentException.class, () -> new HmacPolicy(Map.of(1, KEY), 1, HmacMode.ENFORCE, true, 301));
        assertEquals(5, HmacPolicy.derivedWindow(100));
        assertEquals(5, HmacPolicy.derivedWindow(199));
        assertEquals(6, HmacPolicy.derivedWindow(200));
        assertEquals(300, HmacPolicy.derivedWindow(40950));
    }
}
