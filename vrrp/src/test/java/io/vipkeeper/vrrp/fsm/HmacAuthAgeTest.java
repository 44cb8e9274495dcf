package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HMAC check hands on the packet's arrival age, accepted or not: the timers need it. */
class HmacAuthAgeTest {
    private static final InetAddress SOURCE = SimulatedSegment.ip("198.18.0.9");

    @Test
    void verifiedAndRejectedPacketsKeepTheirAge() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        HmacAuth auth = new HmacAuth(VrrpVersion.V3, 51, HmacPolicy.single(key, 100), () -> 1_000L);
        byte[] advert = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 200, 100, List.of(SimulatedSegment.VIP)),
                SOURCE, VrrpMulticast.IPV4);
        byte[] signed = auth.sign(advert, SOURCE);
        InboundPacket ok = auth.check(new InboundPacket(SOURCE, VrrpMulticast.IPV4, 255, signed, null, 1234));
        assertNull(ok.rejected());
        assertEquals(1234, ok.ageNanos());
        InboundPacket replay = auth.check(new InboundPacket(SOURCE, VrrpMulticast.IPV4, 255, signed, null, 99));
        assertEquals(DropReason.HMAC_REPLAY, replay.rejected());
        assertEquals(99, replay.ageNanos());
    }
}
