package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigOrigin;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code bgp} section: VIPs announced through the local routing daemon. */
final class BgpReader {
    private BgpReader() {
    }

    /**
     * {@code vrrpVips}: every VIP of a VRRP instance, which a bgp VIP must not be; {@code ipvs}: the
     * virtual servers, one of which must have each bgp VIP as its address, or null when they could
     * not all be read (the file is refused already, and a VIP would be reported for a broken block).
     */
    static BgpSettings read(ConfigNode b, Set<InetAddress> vrrpVips, IpvsSettings ipvs) {
        // Two owners of one address: VRRP would move it while the routers send it here too.
        List<InetAddress> vips = HostAddressList.read(b, "vips", "it is announced as /32 or /128",
                a -> vrrpVips.contains(a) ? Optional.of("is also a VRRP instance's virtual IP; a VIP has one owner, vrrp or bgp")
                        : unserved(a, ipvs));
        String device = VrrpReader.interfaceName(b, "device");
        Duration check = b.duration("check-interval", Duration.ofMillis(10), Duration.ofMinutes(1));
        Duration wait = b.duration("withdraw-wait", Duration.ZERO, Duration.ofMinutes(10));
        boolean anyScheduler = Boolean.TRUE.equals(b.bool("allow-any-scheduler"));
        b.checkUnknownKeys();
        ConfigOrigin written = b.originOf("device");
        // Left at its default, the device is reported at the bgp block, not in reference.conf.
        ConfigProblem deviceAt = ConfigProblem.at(written.resource() == null ? written : b.origin(), "");
        return new BgpSettings(vips, device, check, wait, anyScheduler, deviceAt);
    }

    /**
     * Why a bgp VIP has nothing behind it: the routers would send its traffic here and this director
     * would drop it. A fwmark service does not count: its mark is set by firewall rules outside this
     * file, so nothing ties its real servers or quorum to the VIP.
     */
    private static Optional<String> unserved(InetAddress vip, IpvsSettings ipvs) {
        if (ipvs == null || ipvs.virtualServers().values().stream().anyMatch(vs -> vs.address().filter(vip::equals).isPresent())) {
            return Optional.empty();
        }
        boolean fwmarks = ipvs.virtualServers().values().stream().anyMatch(vs -> vs.fwmark() != 0);
        return Optional.of("has no virtual server on its address, so nothing would serve what the routers send here"
                + (fwmarks ? " (a fwmark virtual server does not count: its mark is set outside this file, so its"
                        + " real servers and quorum cannot be tied to the VIP; give the VIP a virtual server with"
                        + " address = \"" + Addresses.format(vip) + "\")" : ""));
    }
}
