package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an instance's {@code virtual-ips} and {@code excluded-ips}: each entry "ADDR[/PREFIX]" or a
 * block with the address and keepalived's per-address options (interface, scope, label,
 * broadcast), read over {@code vrrp.virtual-ip-defaults}. Virtual IPs are one family (the adverts
 * carry them); excluded addresses may be of either.
 */
final class VirtualAddressReader {
    private VirtualAddressReader() {
    }

    /** Both lists, virtual IPs first; null after a problem (reported). */
    static List<VirtualAddress> read(ConfigNode n, ConfigObject defaults, VrrpVersion version, String instanceIf) {
        if (!n.has("virtual-ips")) {
            n.problemHere("missing required key virtual-ips");
            n.value("excluded-ips"); // a known key all the same (instance-defaults are read without virtual-ips)
            return null;
        }
        Map<InetAddress, Integer> seen = new HashMap<>();
        List<VirtualAddress> vips = list(n, "virtual-ips", defaults, true, instanceIf, seen);
        if (vips != null && vips.isEmpty()) {
            n.problem("virtual-ips", "needs at least one address");
            vips = null;
        }
        if (vips != null && vips.get(0).prefix().isIpv6() && version == VrrpVersion.V2) {
            n.problem("virtual-ips", "IPv6 addresses need version = 3 (VRRPv2 is IPv4 only)");
        }
        List<VirtualAddress> excluded = list(n, "excluded-ips", defaults, false, instanceIf, seen);
        if (vips == null || excluded == null) {
            return null;
        }
        List<VirtualAddress> all = new ArrayList<>(vips);
        all.addAll(excluded);
        return List.copyOf(all);
    }

    private static List<VirtualAddress> list(ConfigNode n, String key, ConfigObject defaults, boolean advertised,
            String instanceIf, Map<InetAddress, Integer> seen) {
        ConfigList list = n.list(key);
        if (list == null) {
            return null;
        }
        List<VirtualAddress> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            String label = key + "[" + i + "]";
            VirtualAddress a = entry(n, label, v, defaults, advertised, instanceIf);
            if (a == null) {
                ok = false;
                continue;
            }
            Integer first = seen.putIfAbsent(a.prefix().address(), v.origin().lineNumber());
            if (first != null) {
                n.problems().add(v.origin(), n.path(label) + ": " + a.prefix() + " is listed twice (first at " + first + ")");
                ok = false;
                continue;
            }
            if (advertised && !out.isEmpty() && out.get(0).prefix().isIpv6() != a.prefix().isIpv6()) {
                n.problems().add(v.origin(), n.path(label) + ": " + a.prefix() + " mixes IPv4 and IPv6 in one instance;"
                        + " use one instance per family, or put it in excluded-ips (not advertised)");
                ok = false;
                continue;
            }
            out.add(a);
        }
        return ok ? out : null;
    }

    private static VirtualAddress entry(ConfigNode n, String label, ConfigValue v, ConfigObject defaults,
            boolean advertised, String instanceIf) {
        if (v.valueType() == ConfigValueType.STRING) {
            Optional<IpPrefix> p = Addresses.parsePrefix((String) v.unwrapped());
            if (p.isEmpty()) {
                n.problems().add(v.origin(), n.path(label) + ": \"" + v.unwrapped()
                        + "\" is not an IP address with an optional /prefix");
                return null;
            }
            return new VirtualAddress(p.get(), Optional.empty(), AddressScope.GLOBAL, Optional.empty(), Optional.empty(),
                    advertised);
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            n.problems().add(v.origin(), n.path(label) + ": expected \"ADDR[/PREFIX]\" or a block { address = ..., "
                    + "interface = ..., scope = ..., label = ..., broadcast = ... }");
            return null;
        }
        ConfigNode one = n.over(label, v, defaults, n.path(label));
        if (one == null) {
            return null;
        }
        return block(one, advertised, instanceIf);
    }

    private static VirtualAddress block(ConfigNode one, boolean advertised, String instanceIf) {
        String text = one.string("address");
        Optional<IpPrefix> prefix = text == null ? Optional.empty() : Addresses.parsePrefix(text);
        if (text != null && prefix.isEmpty()) {
            one.problem("address", "\"" + text + "\" is not an IP address with an optional /prefix");
        }
        Optional<String> iface = one.has("interface") ? Optional.ofNullable(VrrpReader.interfaceName(one, "interface"))
                : Optional.empty();
        boolean ifaceOk = !one.has("interface") || iface.isPresent();
        AddressScope scope = one.enumValue("scope", AddressScope.class);
        Optional<String> label = one.optionalString("label");
        Optional<String> brdText = one.optionalString("broadcast");
        boolean v4 = prefix.map(p -> !p.isIpv6()).orElse(true);
        boolean ok = prefix.isPresent() && ifaceOk && scope != null;
        if (!v4 && scope != null && scope != AddressScope.GLOBAL) {
            // inet6_rtm_newaddr takes the scope from the address itself and ignores ifa_scope.
            one.problem("scope", "IPv6 addresses take their scope from the address (the kernel ignores it): leave it"
                    + " global");
            ok = false;
        }
        String dev = iface.orElse(instanceIf);
        if (label.isPresent()) {
            String l = label.get();
            if (!v4) {
                one.problem("label", "IPv6 addresses have no labels");
                ok = false;
            } else if (l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15 || !l.chars().allMatch(c -> c > ' ' && c < 127)) {
                // The kernel counts bytes (IFNAMSIZ) and refuses the address otherwise (ERANGE).
                one.problem("label", "\"" + l + "\" must be at most 15 printable ASCII characters (the kernel's IFNAMSIZ)");
                ok = false;
            } else if (dev != null && !l.equals(dev) && !l.startsWith(dev + ":")) {
                one.problem("label", "\"" + l + "\" must be " + dev + " or start with \"" + dev + ":\" (the interface"
                        + " the address goes on)");
                ok = false;
            }
        }
        Optional<InetAddress> broadcast = Optional.empty();
        if (brdText.isPresent() && prefix.isPresent()) {
            if (!v4) {
                one.problem("broadcast", "IPv6 has no broadcast addresses");
                ok = false;
            } else if (brdText.get().equals("+")) {
                broadcast = Optional.of(broadcastOf(prefix.get()));
            } else {
                broadcast = Addresses.parse(brdText.get()).filter(a -> a instanceof Inet4Address);
                if (broadcast.isEmpty()) {
                    one.problem("broadcast", "\"" + brdText.get() + "\" is not an IPv4 address (or + for the"
                            + " prefix's last address)");
                    ok = false;
                }
            }
        }
        one.checkUnknownKeys();
        return ok ? new VirtualAddress(prefix.get(), iface, scope, label, broadcast, advertised) : null;
    }

    /** The last address of the prefix (ip addr add ... brd +). */
    private static InetAddress broadcastOf(IpPrefix p) {
        byte[] a = p.address().getAddress();
        int host = p.prefixLength() >= 32 ? 0 : (int) (0xFFFFFFFFL >>> p.prefixLength());
        int v = java.nio.ByteBuffer.wrap(a).getInt() | host;
        try {
            return InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt(v).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
