package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.vipkeeper.appliance.config.ConfigNode.Element;
import io.vipkeeper.appliance.config.VrrpInstance.Authentication;
import io.vipkeeper.appliance.config.VrrpInstance.Garp;
import io.vipkeeper.appliance.config.VrrpInstance.TrackedInterface;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and checks the {@code vrrp} section: instances, scripts, sync groups and how they refer to each other. */
final class VrrpReader {
    private static final Duration MS10 = Duration.ofMillis(10);
    private static final Duration HOUR = Duration.ofHours(1);

    private VrrpReader() {
    }

    static VrrpSettings read(ConfigNode vrrp) {
        // Each defaults block is also read as an entry of its own, to report its unknown keys.
        ConfigNode scriptDefaults = vrrp.child("script-defaults");
        readScript("", scriptDefaults.probe());
        ConfigNode trackDefaultsNode = vrrp.child("track-interface-defaults");
        trackedInterface(trackDefaultsNode.probe());
        ConfigObject trackDefaults = trackDefaultsNode.object();
        ConfigNode fileDefaults = vrrp.child("track-file-defaults");
        TrackFileReader.read("", fileDefaults.probe());
        ConfigNode processDefaults = vrrp.child("track-process-defaults");
        TrackProcessReader.read("", processDefaults.probe());
        ConfigNode vipDefaultsNode = vrrp.child("virtual-ip-defaults");
        ConfigObject vipDefaults = vipDefaultsNode.object();
        ConfigNode routeDefaultsNode = vrrp.child("virtual-route-defaults");
        VirtualRouteReader.route(routeDefaultsNode.probe());
        ConfigNode ruleDefaultsNode = vrrp.child("virtual-rule-defaults");
        VirtualRouteReader.rule(ruleDefaultsNode.probe());
        ConfigObject routeDefaults = routeDefaultsNode.object();
        ConfigObject ruleDefaults = ruleDefaultsNode.object();
        ConfigNode instanceDefaults = vrrp.child("instance-defaults");
        readInstance("", instanceDefaults.probe(), trackDefaults, Map.of(), new Trackable(Map.of(), Map.of(), vipDefaults,
                routeDefaults, ruleDefaults));

        Map<String, VrrpScript> scripts = new LinkedHashMap<>();
        vrrp.entries("scripts", scriptDefaults.object()).forEach((name, n) -> put(scripts, name, readScript(name, n)));
        Map<String, VrrpTrackFile> files = new LinkedHashMap<>();
        vrrp.entries("track-files", fileDefaults.object()).forEach((name, n) ->
                put(files, name, TrackFileReader.read(name, n)));
        Map<String, VrrpTrackProcess> processes = new LinkedHashMap<>();
        vrrp.entries("track-processes", processDefaults.object()).forEach((name, n) ->
                put(processes, name, TrackProcessReader.read(name, n)));

        Map<String, VrrpInstance> instances = new LinkedHashMap<>();
        Map<String, ConfigNode> instanceNodes = vrrp.entries("instances", instanceDefaults.object());
        instanceNodes.forEach((name, n) -> put(instances, name, readInstance(name, n, trackDefaults, scripts,
                new Trackable(files, processes, vipDefaults, routeDefaults, ruleDefaults))));
        checkUnique(instances, instanceNodes);
        VmacReader.checkUnique(instances, instanceNodes);

        Map<String, List<String>> syncGroups = readSyncGroups(vrrp.child("sync-groups"), instanceNodes);
        vrrp.checkUnknownKeys();
        return new VrrpSettings(instances, scripts, syncGroups, files, processes);
    }

    /** The tracked files and processes an instance may name, and the defaults of its address, route and rule blocks. */
    private record Trackable(Map<String, VrrpTrackFile> files, Map<String, VrrpTrackProcess> processes,
            ConfigObject vipDefaults, ConfigObject routeDefaults, ConfigObject ruleDefaults) {
    }

    private static <T> void put(Map<String, T> map, String name, T value) {
        if (value != null) {
            map.put(name, value);
        }
    }

    private static VrrpScript readScript(String name, ConfigNode n) {
        List<String> command = ProgramReader.command(n);
        Optional<ScriptUser> user = ProgramReader.user(n, "user");
        Duration interval = n.duration("interval", MS10, HOUR);
        Duration timeout = n.duration("timeout", MS10, HOUR);
        Integer weight = n.integer("weight", -254, 254);
        Integer rise = n.integer("rise", 1, 100);
        Integer fall = n.integer("fall", 1, 100);
        if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
            n.problem("timeout", Durations.format(timeout) + " is longer than the interval " + Durations.format(interval));
        }
        n.checkUnknownKeys();
        if (command == null || user == null || interval == null || timeout == null || weight == null || rise == null
                || fall == null) {
            return null;
        }
        return new VrrpScript(name, new Program(command, user, timeout), interval, weight, rise, fall);
    }

    private static VrrpInstance readInstance(String name, ConfigNode n, ConfigObject trackDefaults,
            Map<String, VrrpScript> scripts, Trackable trackable) {
        String iface = interfaceName(n, "interface");
        Integer vrid = n.integer("virtual-router-id", 1, 255);
        Integer priority = n.integer("priority", 1, 255);
        Integer versionNumber = n.integer("version", 2, 3);
        VrrpVersion version = versionNumber == null ? null : VrrpVersion.valueOf(versionNumber).orElseThrow();
        Duration advert = n.duration("advert-interval", MS10, Duration.ofSeconds(255));
        if (advert != null && version != null) {
            version.advertIntervalProblem(advert).ifPresent(why ->
                    n.problem("advert-interval", Durations.format(advert) + " is not allowed: " + why));
        }
        Boolean preempt = n.bool("preempt");
        Duration preemptDelay = n.duration("preempt-delay", Duration.ZERO, Duration.ofSeconds(1000));
        List<VirtualAddress> addresses = VirtualAddressReader.read(n, trackable.vipDefaults(), version, iface);
        List<IpPrefix> vips = addresses == null ? null
                : addresses.stream().filter(VirtualAddress::advertised).map(VirtualAddress::prefix).toList();
        Boolean ipv6 = vips == null || vips.isEmpty() ? null : vips.get(0).isIpv6();
        List<Element<String>> rawPeers = n.stringList("unicast-peers");
        List<InetAddress> peers = new ArrayList<>();
        for (Element<String> e : rawPeers) {
            address(n, e, ipv6).ifPresent(peers::add);
        }
        Optional<InetAddress> source = unicastSource(n, ipv6, rawPeers.isEmpty());
        Integer minTtl = unicastMinTtl(n, rawPeers.isEmpty());
        Authentication auth = authentication(n.child("authentication"), version);
        List<TrackedInterface> tracked = trackInterfaces(n, trackDefaults);
        List<String> trackScripts = trackScripts(n, scripts);
        List<String> trackFiles = TrackFileReader.tracked(n, trackable.files());
        List<String> trackProcesses = TrackProcessReader.tracked(n, trackable.processes());
        Garp garp = garp(n.child("garp"));
        Optional<Program> notify = ProgramReader.notify(n, "notify-script", "notify-user", "notify-timeout");
        VrrpInstance.Notifies notifies = notifies(n);
        Optional<VrrpInstance.Vmac> vmac = VmacReader.read(n, vrid);
        List<VirtualRoute> routes = VirtualRouteReader.routes(n, trackable.routeDefaults());
        List<VirtualRule> rules = VirtualRouteReader.rules(n, trackable.ruleDefaults());
        n.checkUnknownKeys();
        if (iface == null || vrid == null || priority == null || version == null || advert == null
                || preempt == null || preemptDelay == null || vips == null || auth == null
                || tracked == null || garp == null || minTtl == null || vmac == null || notifies == null
                || routes == null || rules == null) {
            return null;
        }
        return new VrrpInstance(name, iface, vrid, priority, version, advert, preempt, preemptDelay, vips,
                List.copyOf(peers), source, minTtl, auth, tracked, trackScripts, garp, notify, vmac,
                trackFiles, trackProcesses, notifies, addresses, routes, rules);
    }

    /** The per-state notify programs and notify-priority-changes; null after a problem. */
    private static VrrpInstance.Notifies notifies(ConfigNode n) {
        Boolean priorityChanges = n.bool("notify-priority-changes");
        if (priorityChanges != null && priorityChanges && n.optionalString("notify-script").isEmpty()) {
            n.problem("notify-priority-changes", "is true but notify-script is not set (it is what runs)");
            priorityChanges = null;
        }
        VrrpInstance.Notifies read = new VrrpInstance.Notifies(state(n, "notify-master"), state(n, "notify-backup"),
                state(n, "notify-fault"), state(n, "notify-stop"), Boolean.TRUE.equals(priorityChanges));
        return priorityChanges == null ? null : read;
    }

    private static Optional<Program> state(ConfigNode n, String key) {
        return ProgramReader.notify(n, key, "notify-user", "notify-timeout");
    }

    /** An interface name as the kernel accepts it: 1..15 bytes, no '/', ':' allowed only as a label. */
    static String interfaceName(ConfigNode n, String key) {
        String s = n.string(key);
        if (s != null && (s.isEmpty() || s.length() > 15 || s.contains("/") || s.contains(" "))) {
            n.problem(key, "\"" + s + "\" is not an interface name (1..15 characters, no '/' or spaces)");
            return null;
        }
        return s;
    }

    private static Optional<InetAddress> address(ConfigNode n, Element<String> e, Boolean ipv6) {
        Optional<InetAddress> a = Addresses.parse(e.value());
        if (a.isEmpty()) {
            n.problems().add(e.origin(), n.path(e.label()) + ": \"" + e.value() + "\" is not an IP address");
        } else if (ipv6 != null && ipv6 != Addresses.family(a.get()).equals("IPv6")) {
            n.problems().add(e.origin(), n.path(e.label()) + ": " + e.value() + " is "
                    + Addresses.family(a.get()) + " but the virtual IPs are " + (ipv6 ? "IPv6" : "IPv4"));
            return Optional.empty();
        }
        return a;
    }

    private static Optional<InetAddress> unicastSource(ConfigNode n, Boolean ipv6, boolean noPeers) {
        Optional<String> s = n.optionalString("unicast-source");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> a = address(n, new Element<>("unicast-source", s.get(), n.originOf("unicast-source")), ipv6);
        if (a.isPresent() && noPeers) {
            n.problem("unicast-source", "is set but unicast-peers is empty (multicast adverts use the interface address)");
        }
        return a;
    }

    /** Below 255 only with unicast peers: multicast adverts never cross a router (RFC 9568 §7.1). */
    private static Integer unicastMinTtl(ConfigNode n, boolean noPeers) {
        Integer ttl = n.integer("unicast-min-ttl", 1, 255);
        if (ttl != null && ttl != 255 && noPeers) {
            n.problem("unicast-min-ttl", "is " + ttl + " but unicast-peers is empty (multicast adverts must arrive"
                    + " with TTL 255)");
            return null;
        }
        return ttl;
    }

    private static Authentication authentication(ConfigNode a, VrrpVersion version) {
        AuthType type = a.enumValue("type", AuthType.class);
        String password = a.string("password");
        String key = a.string("key");
        HmacConfig hmac = HmacReader.read(a, key == null ? "" : key, type);
        a.checkUnknownKeys();
        if (type == null || password == null || key == null) {
            return null;
        }
        boolean ok = true;
        if (version != null && !type.allowedIn(version)) {
            a.problem("type", type.configName() + " is only allowed with version = 2 (RFC 9568 removed authentication)");
            ok = false;
        }
        for (String k : new String[] {"password", "key"}) {
            String v = k.equals("password") ? password : key;
            if (k.equals(type.secretKey())) {
                // hmac-sha256 may name its keys in keys instead (HmacReader reports neither).
                if (v.isEmpty() && type != AuthType.HMAC_SHA256) {
                    a.problemHere("type = " + type.configName() + " needs " + k);
                    ok = false;
                }
            } else if (!v.isEmpty()) {
                a.problem(k, "is not used with type = " + type.configName());
                ok = false;
            }
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 8) {
            a.problem("password", "is " + bytes + " bytes; VRRPv2 carries at most 8 (keepalived would silently cut it)");
            ok = false;
        }
        if (!ok || type == AuthType.HMAC_SHA256 && hmac == null) {
            return null;
        }
        String secret = type.secretKey() == null ? "" : type.secretKey().equals("password") ? password : key;
        return new Authentication(type, secret, hmac);
    }

    private static List<TrackedInterface> trackInterfaces(ConfigNode n, ConfigObject defaults) {
        ConfigList list = n.list("track-interfaces");
        if (list == null) {
            return null;
        }
        List<TrackedInterface> out = new ArrayList<>();
        Map<String, ConfigOrigin> seen = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            String label = "track-interfaces[" + i + "]";
            TrackedInterface t = null;
            if (v.valueType() == ConfigValueType.STRING) {
                ConfigNode one = new ConfigNode(n.path(label), defaults.withValue("name", v),
                        ConfigValueFactory.fromMap(Map.of(), "").withOrigin(v.origin()), n.problems());
                t = trackedInterface(one);
            } else {
                ConfigNode one = n.over(label, v, defaults, n.path(label));
                if (one == null) {
                    ok = false;
                    continue;
                }
                t = trackedInterface(one);
            }
            if (t == null) {
                ok = false;
            } else if (seen.putIfAbsent(t.name(), v.origin()) != null) {
                n.problems().add(v.origin(), n.path(label) + ": " + t.name() + " is tracked twice");
                ok = false;
            } else {
                out.add(t);
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    private static TrackedInterface trackedInterface(ConfigNode one) {
        String name = interfaceName(one, "name");
        Integer weight = one.integer("weight", -254, 254);
        one.checkUnknownKeys();
        return name == null || weight == null ? null : new TrackedInterface(name, weight);
    }

    private static List<String> trackScripts(ConfigNode n, Map<String, VrrpScript> scripts) {
        return NameReferences.read(n, "track-scripts", scripts.keySet(), "script", "scripts");
    }

    private static Garp garp(ConfigNode g) {
        Duration delay = g.duration("master-delay", Duration.ZERO, Duration.ofSeconds(1000));
        Integer repeat = g.integer("master-repeat", 1, 255);
        Duration refresh = g.duration("master-refresh", Duration.ZERO, Duration.ofHours(24));
        g.checkUnknownKeys();
        return delay == null || repeat == null || refresh == null ? null : new Garp(delay, repeat, refresh);
    }

    /** VRID per interface and family, and each virtual IP, may be used by one instance only. */
    private static void checkUnique(Map<String, VrrpInstance> instances, Map<String, ConfigNode> nodes) {
        Map<String, String> vrids = new HashMap<>();
        Map<InetAddress, String> vips = new HashMap<>();
        for (VrrpInstance i : instances.values()) {
            ConfigNode n = nodes.get(i.name());
            String key = i.interfaceName() + "/" + i.virtualRouterId() + "/" + i.isIpv6();
            String other = vrids.putIfAbsent(key, i.name());
            if (other != null) {
                n.problem("virtual-router-id", "VRID " + i.virtualRouterId() + " on " + i.interfaceName() + " ("
                        + (i.isIpv6() ? "IPv6" : "IPv4") + ") is already used by instance " + other + " (line "
                        + nodes.get(other).originOf("virtual-router-id").lineNumber() + ")");
            }
            for (VirtualAddress a : i.addresses()) {
                String owner = vips.putIfAbsent(a.prefix().address(), i.name());
                if (owner != null) {
                    n.problem(a.advertised() ? "virtual-ips" : "excluded-ips", Addresses.format(a.prefix().address())
                            + " is already a virtual IP of instance " + owner);
                }
            }
        }
    }

    private static Map<String, List<String>> readSyncGroups(ConfigNode groups, Map<String, ConfigNode> instances) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, String> memberOf = new HashMap<>();
        for (String name : groups.object().keySet()) {
            List<String> members = new ArrayList<>();
            for (Element<String> e : groups.stringList(name)) {
                String where = groups.path(e.label());
                if (!instances.containsKey(e.value())) {
                    groups.problems().add(e.origin(), where + ": no instance named \"" + e.value()
                            + "\" in vipkeeper.vrrp.instances" + Suggestions.hint(e.value(), instances.keySet()));
                    continue;
                }
                String other = memberOf.putIfAbsent(e.value(), name);
                if (other != null) {
                    groups.problems().add(e.origin(), where + ": " + e.value() + " is already in sync group " + other);
                    continue;
                }
                members.add(e.value());
            }
            if (groups.value(name) != null && groups.value(name).valueType() == ConfigValueType.LIST
                    && ((ConfigList) groups.value(name)).size() < 2) {
                groups.problem(name, "a sync group needs at least two instances");
            }
            out.put(name, List.copyOf(members));
        }
        return out;
    }
}
