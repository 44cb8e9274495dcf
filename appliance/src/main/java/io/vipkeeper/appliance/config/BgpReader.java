package io.vipkeeper.appliance.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code bgp} section: VIPs announced through the local routing daemon. */
final class BgpReader {
    private BgpReader() {
    }

    /** {@code vrrpVips}: every VIP of a VRRP instance, which a bgp VIP must not be. */
    static BgpSettings read(ConfigNode b, Set<InetAddress> vrrpVips) {
        // Two owners of one address: VRRP would move it while the routers send it here too.
        List<InetAddress> vips = HostAddressList.read(b, "vips", "it is announced as /32 or /128",
                a -> vrrpVips.contains(a) ? Optional.of("is also a VRRP instance's virtual IP; a VIP has one owner, vrrp or bgp")
                        : Optional.empty());
        String device = VrrpReader.interfaceName(b, "device");
        Duration check = b.duration("check-interval", Duration.ofMillis(10), Duration.ofMinutes(1));
        Duration wait = b.duration("withdraw-wait", Duration.ZERO, Duration.ofMinutes(10));
        boolean anyScheduler = Boolean.TRUE.equals(b.bool("allow-any-scheduler"));
        b.checkUnknownKeys();
        return new BgpSettings(vips, device, check, wait, anyScheduler);
    }
}
