package io.vipkeeper.vrrp.linux;

import io.vipkeeper.vrrp.fsm.Warmup;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.protocol.IpsecAh;
import io.vipkeeper.vrrp.protocol.Ipv4Header;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@link Warmup} plus the Linux-side encoders a takeover uses (IP header, AH, GARP/NA frames,
 * rtnetlink requests and replies), built without sending anything.
 */
public final class LinuxWarmup {
    private LinuxWarmup() {
    }

    /** At most this long: the warm-up shortens a first failover by milliseconds, and is cut where the CPU is slow. */
    private static final long BUDGET_NANOS = 1_500_000_000L;

    /** Warms up everything a first failover runs through, for at most 1.5 s. */
    public static void run() {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        Warmup.run(300, deadline);
        try {
            Inet4Address v4 = (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) 255, 1});
            Inet6Address v6 = (Inet6Address) InetAddress.getByAddress(new byte[] {0x20, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 1});
            byte[] mac = {2, 0, 0, 0, 0, 1};
            for (int i = 0; i < 2000 && System.nanoTime() - deadline < 0; i++) {
                Ipv4Header.wrap(new byte[20], v4, v4, i + 1, 112);
                IpsecAh.wrap(new byte[20], v4, v4, i + 1, i, mac, false);
                AnnouncementFrames.garp(mac, v4);
                AnnouncementFrames.unsolicitedNa(mac, v6, false);
                byte[] req = InterfaceAddresses.addRequest(1, v4, 32, "eth0:vk", i);
                NetlinkMessage.parseAll(req, req.length);
                InterfaceAddresses.removeRequest(1, v6, 128, i);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
