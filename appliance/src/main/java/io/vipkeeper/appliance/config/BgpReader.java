package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.config.ConfigNode.Element;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code bgp} section: VIPs announced through the local routing daemon. */
final class BgpReader {
    private BgpReader() {
    }

    /** {@code vrrpVips}: every VIP of a VRRP instance, which a bgp VIP must not be. */
    static BgpSettings read(ConfigNode b, Set<InetAddress> vrrpVips) {
        List<InetAddress> vips = new ArrayList<>();
        for (Element<String> e : b.stringList("vips")) {
            Optional<IpPrefix> p = Addresses.parsePrefix(e.value());
            if (p.isEmpty() || p.get().prefixLength() != Addresses.bits(p.get().address())) {
                b.problems().add(e.origin(), b.path(e.label()) + ": \"" + e.value()
                        + "\" is not an IP address (it is announced as /32 or /128)");
            } else if (vips.contains(p.get().address())) {
                b.problems().add(e.origin(), b.path(e.label()) + ": " + e.value() + " is listed twice");
            } else if (vrrpVips.contains(p.get().address())) {
                // Two owners of one address: VRRP would move it while the routers send it here too.
                b.problems().add(e.origin(), b.path(e.label()) + ": " + e.value()
                        + " is also a VRRP instance's virtual IP; a VIP has one owner, vrrp or bgp");
            } else {
                vips.add(p.get().address());
            }
        }
        String device = VrrpReader.interfaceName(b, "device");
        Duration check = b.duration("check-interval", Duration.ofMillis(10), Duration.ofMinutes(1));
        Duration wait = b.duration("withdraw-wait", Duration.ZERO, Duration.ofMinutes(10));
        b.checkUnknownKeys();
        return new BgpSettings(vips, device, check, wait);
    }
}
