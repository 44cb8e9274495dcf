package io.vipkeeper.appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Warnings about a file that loads but will not work as written, each as {@code warning:
 * FILE:LINE: key: message}: an interface this host lacks, a virtual server whose address no VRRP
 * instance puts on the host, unicast peer settings that name this host itself or a source it does
 * not have. Warnings, not problems: the same file runs on both nodes of a pair and interfaces come
 * and go (a VLAN created after the daemon, a host being prepared), and the daemon copes with each
 * (an instance waits in FAULT, a tracked interface counts as down). Peers of the other family than
 * the virtual IPs never work anywhere: that is a problem, found by {@link VrrpReader}.
 */
final class CheckWarnings {
    private final Config tree;
    private final UnaryOperator<String> names;
    private final List<ConfigProblem> out = new ArrayList<>();

    private CheckWarnings(ConfigObject tree, UnaryOperator<String> names) {
        this.tree = tree.toConfig();
        this.names = names;
    }

    /**
     * The problems of addresses whose own interface this host lacks: the daemon could not place
     * them (its start failed, a reload left the instance half-replaced), so start and reload refuse
     * such a file at the address's line; another node's view ({@link HostNetwork#UNKNOWN}) passes.
     */
    static List<ConfigProblem> missingAddressInterfaces(Settings settings, ConfigObject tree, UnaryOperator<String> names,
            HostNetwork host) {
        CheckWarnings w = new CheckWarnings(tree, names);
        host.interfaces().ifPresent(have -> settings.vrrp().instances().values().forEach(i ->
                w.addressInterfaces(i, have, a -> "to put " + a.prefix() + " on", r -> "for the route " + r)));
        return w.out;
    }

    /**
     * The warnings about {@code settings}, read from {@code tree} (the merged, resolved tree, whose
     * origins give the lines; files named as {@code names} says), on the host {@code host}.
     */
    static List<String> of(Settings settings, ConfigObject tree, UnaryOperator<String> names, HostNetwork host) {
        CheckWarnings w = new CheckWarnings(tree, names);
        host.interfaces().ifPresent(have -> w.interfaces(settings, have));
        w.unownedAddresses(settings);
        host.addresses().ifPresent(mine -> w.peers(settings, mine));
        // In file order, as problems are.
        return w.out.stream().sorted(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line))
                .map(p -> "warning: " + p.format()).toList();
    }

    private void interfaces(Settings s, Set<String> have) {
        for (VrrpInstance i : s.vrrp().instances().values()) {
            if (!have.contains(i.interfaceName())) {
                warn(instanceValue(i, "interface"), instancePath(i, "interface"), "this host has no interface "
                        + i.interfaceName() + " (the instance stays in FAULT until it appears)");
            }
            addressInterfaces(i, have, a -> "(the daemon refuses to start or reload with " + a.prefix()
                    + " there until it appears)", r -> "(the daemon refuses to start or reload with the route "
                    + r.to() + " through it until it appears)");
            for (int n = 0; n < i.trackInterfaces().size(); n++) {
                String name = i.trackInterfaces().get(n).name();
                if (!have.contains(name)) {
                    warn(element(instanceValue(i, "track-interfaces"), n), instancePath(i, "track-interfaces") + "["
                            + n + "]", "this host has no interface " + name + " (tracked as down until it appears)");
                }
            }
        }
        s.ipvs().syncDaemon().ifPresent(d -> {
            Optional<ConfigValue> written = value("vipkeeper", "ipvs", "sync-daemon", "interface");
            if (!have.contains(d.interfaceName()) && written.isPresent()) {
                warn(written, "vipkeeper.ipvs.sync-daemon.interface", "this host has no interface " + d.interfaceName()
                        + " (the sync daemon cannot start until it appears)");
            }
        });
        String rs = s.realServer().interfaceName();
        if (!s.realServer().vips().isEmpty() && !have.contains(rs)) {
            // Left at its default, the interface is named at the vips that make it matter.
            warn(value("vipkeeper", "real-server", "interface").filter(v -> v.origin().resource() == null)
                    .or(() -> value("vipkeeper", "real-server", "vips")), "vipkeeper.real-server.interface",
                    "this host has no interface " + rs + " (vipkeeper realserver up cannot set its ARP settings)");
        }
    }

    /**
     * Each address and virtual route of {@code i} whose own interface {@code have} lacks, at its
     * entry, saying {@code what} / {@code route} after it.
     */
    private void addressInterfaces(VrrpInstance i, Set<String> have, java.util.function.Function<VirtualAddress, String> what,
            java.util.function.Function<VirtualRoute, String> route) {
        for (int n = 0; n < i.routes().size(); n++) {
            Optional<String> dev = i.routes().get(n).interfaceName();
            if (dev.isPresent() && !have.contains(dev.get())) {
                warn(element(instanceValue(i, "virtual-routes"), n), instancePath(i, "virtual-routes") + "[" + n + "]",
                        "this host has no interface " + dev.get() + " " + route.apply(i.routes().get(n)));
            }
        }
        int[] index = {0, 0};
        for (VirtualAddress a : i.addresses()) {
            String key = a.advertised() ? "virtual-ips" : "excluded-ips";
            int n = index[a.advertised() ? 0 : 1]++;
            if (a.interfaceName().isPresent() && !have.contains(a.interfaceName().get())) {
                warn(element(instanceValue(i, key), n), instancePath(i, key) + "[" + n + "]", "this host has no"
                        + " interface " + a.interfaceName().get() + " " + what.apply(a));
            }
        }
    }

    /** Only with VRRP instances: a file without any gives its addresses to the host some other way (or owns them the bgp way). */
    private void unownedAddresses(Settings s) {
        if (s.vrrp().instances().isEmpty()) {
            return;
        }
        Set<InetAddress> vips = s.vrrp().instances().values().stream()
                .flatMap(i -> i.addresses().stream().map(a -> a.prefix().address()))
                .collect(Collectors.toCollection(java.util.HashSet::new));
        // A bgp VIP is put on the host too, on the bgp device (a VRRP pair per site beside bgp VIPs).
        vips.addAll(s.bgp().vips());
        for (VirtualServer vs : s.ipvs().virtualServers().values()) {
            if (vs.address().isPresent() && !vips.contains(vs.address().get())) {
                warn(value("vipkeeper", "ipvs", "virtual-servers", vs.name(), "address"),
                        "vipkeeper.ipvs.virtual-servers." + ConfigUtil.joinPath(vs.name()) + ".address",
                        Addresses.format(vs.address().get()) + " is in no VRRP instance's virtual-ips (nothing here"
                                + " puts it on this host, and only an address the host holds is balanced)");
            }
        }
    }

    private void peers(Settings s, Map<InetAddress, String> mine) {
        for (VrrpInstance i : s.vrrp().instances().values()) {
            for (int n = 0; n < i.unicastPeers().size(); n++) {
                String on = mine.get(i.unicastPeers().get(n));
                if (on != null) {
                    warn(element(instanceValue(i, "unicast-peers"), n), instancePath(i, "unicast-peers") + "[" + n + "]",
                            Addresses.format(i.unicastPeers().get(n)) + " is this host's own address (on " + on
                                    + "): unicast-peers lists the other nodes (a file copied from another node?)");
                }
            }
            i.unicastSource().ifPresent(src -> {
                String on = mine.get(src);
                if (!i.interfaceName().equals(on) && mine.containsValue(i.interfaceName())) {
                    warn(instanceValue(i, "unicast-source"), instancePath(i, "unicast-source"), Addresses.format(src)
                            + " is not an address of " + i.interfaceName() + " on this host (adverts cannot be sent"
                            + " from it)");
                }
            });
        }
    }

    /** An instance's key as written in the instance, else in instance-defaults. */
    private Optional<ConfigValue> instanceValue(VrrpInstance i, String key) {
        return value("vipkeeper", "vrrp", "instances", i.name(), key)
                .or(() -> value("vipkeeper", "vrrp", "instance-defaults", key));
    }

    private static String instancePath(VrrpInstance i, String key) {
        return "vipkeeper.vrrp.instances." + ConfigUtil.joinPath(i.name()) + "." + key;
    }

    private Optional<ConfigValue> value(String... keys) {
        String path = ConfigUtil.joinPath(Arrays.asList(keys));
        return tree.hasPath(path) ? Optional.of(tree.getValue(path)) : Optional.empty();
    }

    /** The {@code n}th element of a list value, or the value itself. */
    private static Optional<ConfigValue> element(Optional<ConfigValue> list, int n) {
        return list.map(l -> l.valueType() == ConfigValueType.LIST && ((ConfigList) l).size() > n
                ? ((ConfigList) l).get(n) : l);
    }

    private void warn(Optional<ConfigValue> at, String key, String message) {
        ConfigOrigin origin = at.map(ConfigValue::origin).orElse(tree.root().origin());
        ConfigProblem p = ConfigProblem.at(origin, key + ": " + message);
        out.add(new ConfigProblem(names.apply(p.file()), p.line(), p.message()));
    }
}
