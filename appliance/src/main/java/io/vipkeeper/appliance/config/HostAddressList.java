package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.config.ConfigNode.Element;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Reads a list of single addresses (no prefix, each once), as real-server.vips and bgp.vips are. */
final class HostAddressList {
    private HostAddressList() {
    }

    /**
     * The addresses of list {@code key} in order; each entry that is not an address, is listed
     * again, or for which {@code conflict} names a reason is a problem at its line instead.
     *
     * @param use how the addresses are used, for the message about one that is not an address
     */
    static List<InetAddress> read(ConfigNode n, String key, String use, Function<InetAddress, Optional<String>> conflict) {
        List<InetAddress> addresses = new ArrayList<>();
        for (Element<String> e : n.stringList(key)) {
            Optional<IpPrefix> p = Addresses.parsePrefix(e.value());
            Optional<String> why = p.flatMap(a -> conflict.apply(a.address()));
            if (p.isEmpty() || p.get().prefixLength() != Addresses.bits(p.get().address())) {
                n.problems().add(e.origin(), n.path(e.label()) + ": \"" + e.value() + "\" is not an IP address (" + use + ")");
            } else if (addresses.contains(p.get().address())) {
                n.problems().add(e.origin(), n.path(e.label()) + ": " + e.value() + " is listed twice");
            } else if (why.isPresent()) {
                n.problems().add(e.origin(), n.path(e.label()) + ": " + e.value() + " " + why.get());
            } else {
                addresses.add(p.get().address());
            }
        }
        return addresses;
    }
}
