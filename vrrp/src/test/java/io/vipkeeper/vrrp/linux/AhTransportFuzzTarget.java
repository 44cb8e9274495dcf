package io.vipkeeper.vrrp.linux;

import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import io.vipkeeper.vrrp.protocol.IpsecAh;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet4Address;
import java.util.List;

/**
 * The AH transport's receive path under fuzzing: a datagram as the raw socket reads it, split into
 * IPv4 header and payload as {@link RawIpSocket} does, then checked by a fresh
 * {@link LinuxAhTransport} (fresh, so anti-replay state does not make outcomes depend on order).
 * Outcomes: {@code accepted}, {@code rejected: not ipv4} (a counted receive error) or
 * {@code rejected: authentication}.
 */
public final class AhTransportFuzzTarget {
    private static final Inet4Address PEER = (Inet4Address) LinuxLayerIT.ip("198.18.1.1");
    private static final Inet4Address SELF = (Inet4Address) LinuxLayerIT.ip("198.18.1.2");
    private static final byte[] KEY = {'p', 'a', 's', 's', 0, 0, 0, 0};

    private AhTransportFuzzTarget() {
    }

    /** The target. */
    public static FuzzTarget create() {
        byte[] vrrp = VrrpEncoder.encode(VrrpAdvertisement.v2(51, 100, 1, List.of(LinuxLayerIT.ip("198.18.1.100")),
                V2AuthType.IP_AH, new byte[8]), PEER, VrrpMulticast.IPV4);
        List<byte[]> seeds = List.of(
                IpsecAh.wrap(vrrp, PEER, (Inet4Address) VrrpMulticast.IPV4, 7, 1, KEY, false),
                IpsecAh.wrap(vrrp, PEER, SELF, 8, 0x7fffffff, KEY, true));
        return FuzzTarget.of("AH transport receive", seeds, input -> {
            RawPacket p = RawIpSocket.ipv4Packet(input, input.length, () -> 0);
            if (p == null) {
                return "rejected: not ipv4";
            }
            InboundPacket[] got = new InboundPacket[1];
            LinuxAhTransport transport = new LinuxAhTransport(null, SELF, KEY);
            transport.onReceive(m -> got[0] = m);
            transport.received(p);
            return got[0].rejected() == null ? FuzzTarget.ACCEPTED : "rejected: " + got[0].rejected().label();
        });
    }
}
