package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.vipkeeper.appliance.config.ConfigNode.Element;
import io.vipkeeper.appliance.config.IpvsSettings.SyncDaemon;
import io.vipkeeper.appliance.config.VirtualServer.Persistence;
import io.vipkeeper.appliance.dataplane.BackendTunnel;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.TunnelChecksum;
import io.vipkeeper.appliance.dataplane.TunnelType;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Reads and checks the {@code ipvs} section: virtual servers, their real servers, the sync daemon. */
final class IpvsReader {

    private IpvsReader() {
    }

    /**
     * Why a file with bgp VIPs and no VRRP instance gets no sync daemon: at its line, instead of
     * the missing or unknown instance it would be told about.
     */
    static final String BGP_NO_SYNC_DAEMON = "not used in bgp mode: the sync daemon follows a VRRP instance (master"
            + " while it is MASTER) and this file has none. With bgp VIPs every director is active, and a flow the"
            + " routers move to another director keeps its real server without copied connections: mh chooses the"
            + " same one on every director, and on IPVS vipkeeper sets sloppy_tcp and sloppy_sctp so the director"
            + " takes the flow up mid-connection. Remove the block (persistence templates are what it would"
            + " carry; see the README's BGP ECMP section)";

    static IpvsSettings read(ConfigNode ipvs, Map<String, VrrpInstance> instances, Set<String> instanceNames,
            ConfigCache cache, EngineCheck engine) {
        return read(ipvs, instances, instanceNames, cache, engine, false);
    }

    /** The same for a file that has bgp VIPs when {@code bgpVips}. */
    static IpvsSettings read(ConfigNode ipvs, Map<String, VrrpInstance> instances, Set<String> instanceNames,
            ConfigCache cache, EngineCheck engine, boolean bgpVips) {
        // A reading kept from a load checked against another engine says nothing about this one.
        cache.engine(engine.engine());
        // Each defaults block is also read as an entry of its own, to report its unknown keys.
        ConfigNode rsDefaultsNode = ipvs.child("real-server-defaults");
        ConfigObject rsDefaults = rsDefaultsNode.object();
        ConfigNode vsDefaults = ipvs.child("virtual-server-defaults");
        virtualServer("", vsDefaults.probe(), rsDefaults, EngineCheck.NONE);
        realServer(rsDefaultsNode.probe(), vsDefaults.child("health-check").object(), null, 0, Forwarding.NAT, null,
                false, EngineCheck.NONE);
        ConfigNode syncDefaults = ipvs.child("sync-daemon-defaults");
        syncDaemon(syncDefaults.probe(), instances, instanceNames);

        Map<String, VirtualServer> servers = new LinkedHashMap<>();
        Map<String, String> identities = new HashMap<>();
        for (ConfigNode.RawEntry e : ipvs.rawEntries("virtual-servers")) {
            String name = e.name();
            VirtualServer vs = e.value() instanceof ConfigObject block
                    ? cache.virtualServer(name, block, vsDefaults.object(), rsDefaults) : null;
            ConfigNode n = null;
            if (vs == null) {
                n = e.read(vsDefaults.object());
                if (n == null) {
                    continue;
                }
                int before = ipvs.problems().reports();
                vs = virtualServer(name, n, rsDefaults, engine);
                if (vs == null) {
                    continue;
                }
                if (ipvs.problems().reports() == before) {
                    cache.keep(name, (ConfigObject) e.value(), vsDefaults.object(), rsDefaults, vs);
                }
            }
            String other = identities.putIfAbsent(vs.identity(), name);
            String shared = other == null ? PortsReader.overlapping(vs, servers.values()) : null;
            String statelessTwin = other == null && shared == null ? statelessTwin(vs, servers) : null;
            if (statelessTwin != null) {
                (n != null ? n : e.read(vsDefaults.object())).problemHere(statelessTwin);
            } else if (other != null) {
                (n != null ? n : e.read(vsDefaults.object())).problemHere(vs.identity() + " is already virtual server "
                        + other);
            } else if (shared != null) {
                (n != null ? n : e.read(vsDefaults.object())).problemHere(vs.identity() + " shares a port with virtual server "
                        + shared);
            } else {
                servers.put(name, vs);
            }
        }
        cache.retainVirtualServers(servers.keySet());
        Optional<SyncDaemon> sync = Optional.empty();
        ConfigValue syncValue = ipvs.value("sync-daemon");
        if (syncValue != null && bgpVips && instanceNames.isEmpty()) {
            ipvs.problems().add(syncValue.origin(), ipvs.path("sync-daemon") + ": " + BGP_NO_SYNC_DAEMON);
        } else if (syncValue != null) {
            ConfigNode s = ipvs.over("sync-daemon", syncValue, syncDefaults.object(), ipvs.path("sync-daemon"));
            sync = s == null ? Optional.empty() : syncDaemon(s, instances, instanceNames);
            if (sync.isPresent()) {
                engine.syncDaemon(ipvs);
            }
        }
        Duration reconcileInterval = ipvs.duration("reconcile-interval", Duration.ofMillis(100), Duration.ofHours(1));
        Duration drainTimeout = ipvs.duration("drain-timeout", Duration.ZERO, Duration.ofDays(1));
        IpvsSettings.Timeouts timeouts = TimeoutsReader.read(ipvs.child("timeouts"));
        if (timeouts != null && !timeouts.isEmpty()) {
            engine.connectionTimeouts(ipvs);
        }
        ipvs.checkUnknownKeys();
        return new IpvsSettings(servers, sync, reconcileInterval, drainTimeout,
                timeouts == null ? IpvsSettings.Timeouts.NONE : timeouts);
    }

    private static VirtualServer virtualServer(String name, ConfigNode n, ConfigObject rsDefaults, EngineCheck engine) {
        Optional<InetAddress> address = n.optionalString("address").flatMap(s -> {
            Optional<InetAddress> a = Addresses.parse(s);
            if (a.isEmpty()) {
                n.problem("address", "\"" + s + "\" is not an IP address");
            }
            return a;
        });
        Integer port = n.has("port") ? n.integer("port", 0, 65535) : null;
        Long fwmark = n.has("fwmark") ? longValue(n.integer("fwmark", 1, Integer.MAX_VALUE)) : null;
        PortList ports = n.has("ports") ? PortsReader.read(n) : PortList.NONE;
        boolean identityOk = identity(n, address, port, fwmark) && ports != null;
        TransportProtocol protocol = n.enumValue("protocol", TransportProtocol.class);
        Scheduler scheduler = engine.scheduler(n);
        Set<SchedulerFlag> flags = schedulerFlags(n, scheduler);
        if (flags != null && !engine.schedulerFlags(n, flags)) {
            flags = null;
        }
        Boolean onePacket = n.bool("one-packet");
        if (Boolean.TRUE.equals(onePacket) && protocol != null && protocol != TransportProtocol.UDP) {
            n.problem("one-packet", "only applies to protocol = udp");
        }
        Forwarding forwarding = n.enumValue("forwarding", Forwarding.class);
        Boolean snat = n.bool("snat");
        if (Boolean.TRUE.equals(snat) && forwarding != null && forwarding != Forwarding.NAT) {
            n.problem("snat", "only applies to forwarding = nat (this server uses " + forwarding.configName() + ")");
        }
        Integer quorum = n.integer("quorum", 0, 65535);
        Integer hysteresis = n.integer("hysteresis", 0, 65535);
        if (quorum != null && hysteresis != null && hysteresis > quorum) {
            n.problem("hysteresis", hysteresis + " is more than the quorum " + quorum);
        }
        Optional<InetSocketAddress> sorry = n.optionalString("sorry-server").flatMap(s -> {
            Optional<InetSocketAddress> a = Addresses.parseSocket(s);
            if (a.isEmpty()) {
                n.problem("sorry-server", "\"" + s + "\" is not ADDR:PORT (IPv6 as [ADDR]:PORT)");
            }
            return a;
        });
        Boolean inhibit = n.bool("inhibit-on-failure");
        ConfigNode hcNode = n.child("health-check");
        int beforeCheck = n.problems().reports();
        HealthCheck check = healthCheck(hcNode);
        // A check read without a problem is the check of every real server that overrides nothing:
        // reading the same block again gives the same check (10,000 readings at 100 x 100).
        HealthCheck inherited = n.problems().reports() == beforeCheck ? check : null;
        // A wrong check is said once, here: the real servers' copies of it would each say it again.
        List<RealServer> real = realServers(n, rsDefaults, check == null ? null : hcNode.object(), inherited,
                port == null ? 0 : port, forwarding, engine);
        Boolean ipv6 = family(n, address, real);
        Optional<InetAddress> snatAddress = snatAddress(n, snat, ipv6);
        Persistence persistence = persistence(n.child("persistence"), ipv6);
        if (persistence != null && port != null && port == 0 && fwmark == null && persistence.timeout().isZero()) {
            n.problem("port", "0 (all ports) needs persistence.timeout above 0s");
        }
        boolean fits = engine.service(n, protocol, n.has("fwmark"), forwarding, Boolean.TRUE.equals(onePacket),
                persistence != null && !persistence.timeout().isZero());
        fits &= engine.portList(n, n.has("ports"));
        fits &= real == null || engine.realServerPorts(n, n.has("fwmark") || n.has("ports"), real);
        fits &= engine.directRouting(n, scheduler, forwarding, real, ipv6);
        fits &= engine.statelessNat(n, scheduler, protocol, forwarding, real);
        if (persistence != null && !persistence.timeout().isZero()) {
            long backendPorts = Stream.concat(real == null ? Stream.empty() : real.stream().map(RealServer::port),
                    sorry.stream().map(InetSocketAddress::getPort)).distinct().count();
            fits &= engine.persistence(n, Boolean.TRUE.equals(ipv6), backendPorts, port != null && port == 0 && fwmark == null,
                    n.has("fwmark") || n.has("ports") || forwarding == Forwarding.DR
                            || forwarding == Forwarding.STATELESS_NAT);
        }
        n.checkUnknownKeys();
        if (!fits || !identityOk || protocol == null || scheduler == null || flags == null || onePacket == null
                || forwarding == null || snat == null || quorum == null || hysteresis == null
                || inhibit == null || check == null || real == null || ipv6 == null || persistence == null
                || snatAddress == null) {
            return null;
        }
        return new VirtualServer(name, address, fwmark == null && port != null ? port : 0, ports, fwmark == null ? 0 : fwmark, ipv6,
                protocol, scheduler, flags, onePacket, forwarding, snat, snatAddress, persistence, quorum, hysteresis, sorry,
                inhibit, check, real);
    }

    /**
     * {@code snat-address}: empty for masquerade; null after a problem (an address that is not a
     * literal of the service's family, or one given without {@code snat = true}).
     */
    private static Optional<InetAddress> snatAddress(ConfigNode n, Boolean snat, Boolean ipv6) {
        Optional<String> text = n.optionalString("snat-address");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!Boolean.TRUE.equals(snat)) {
            if (snat != null) {
                n.problem("snat-address", "applies only with snat = true");
            }
            return null;
        }
        Optional<InetAddress> a = Addresses.parse(text.get());
        if (a.isEmpty()) {
            n.problem("snat-address", "\"" + text.get() + "\" is not an IPv4 or IPv6 address");
            return null;
        }
        InetAddress x = a.get();
        if (x.isAnyLocalAddress() || x.isMulticastAddress() || x.isLoopbackAddress() || x.isLinkLocalAddress()
                || Addresses.format(x).equals("255.255.255.255")) {
            n.problem("snat-address", Addresses.format(x) + " is not a unicast address the real servers can answer");
            return null;
        }
        if (ipv6 != null && (a.get() instanceof Inet6Address) != ipv6) {
            n.problem("snat-address", Addresses.format(a.get()) + " is not of the service's family ("
                    + (ipv6 ? "IPv6" : "IPv4") + ")");
            return null;
        }
        return a;
    }

    /**
     * A stateless-nat real server (address and port) may serve one stateless-nat virtual server
     * only: its replies are turned back to the service's address by their source alone, so a
     * second service's clients would get answers from the first one's address. Null when fine.
     */
    private static String statelessTwin(VirtualServer vs, Map<String, VirtualServer> servers) {
        for (RealServer rs : vs.realServers()) {
            if (rs.forwarding() != Forwarding.STATELESS_NAT) {
                continue;
            }
            for (Map.Entry<String, VirtualServer> o : servers.entrySet()) {
                for (RealServer ors : o.getValue().realServers()) {
                    if (ors.forwarding() == Forwarding.STATELESS_NAT && ors.address().equals(rs.address())
                            && ors.port() == rs.port()) {
                        return "real server " + Addresses.format(new java.net.InetSocketAddress(rs.address(), rs.port()))
                                + " is also one of stateless-nat virtual server " + o.getKey() + ": stateless-nat"
                                + " turns replies back by their source alone, so a real server serves one such service";
                    }
                }
            }
        }
        return null;
    }

    private static Long longValue(Integer i) {
        return i == null ? null : i.longValue();
    }

    private static boolean identity(ConfigNode n, Optional<InetAddress> address, Integer port, Long fwmark) {
        boolean hasAddress = n.value("address") != null && !n.optionalString("address").isEmpty();
        if (fwmark != null || n.has("fwmark")) {
            if (hasAddress || n.has("port") || n.has("ports")) {
                n.problemHere("give either address and port, or fwmark, not both");
                return false;
            }
            return fwmark != null;
        }
        if (n.has("ports")) {
            if (n.has("port")) {
                n.problem("ports", "give port or ports, not both");
                return false;
            }
            if (!hasAddress) {
                n.problemHere("needs an address with its ports");
                return false;
            }
            return address.isPresent();
        }
        if (!hasAddress || !n.has("port")) {
            n.problemHere("needs address and port (or fwmark)");
            return false;
        }
        return address.isPresent() && port != null;
    }

    private static Set<SchedulerFlag> schedulerFlags(ConfigNode n, Scheduler scheduler) {
        Set<SchedulerFlag> flags = EnumSet.noneOf(SchedulerFlag.class);
        boolean ok = true;
        for (Element<String> e : n.stringList("scheduler-flags")) {
            SchedulerFlag f = n.parseEnum("scheduler-flags", e.value(), SchedulerFlag.class);
            if (f == null) {
                ok = false;
            } else if (scheduler != null && f.scheduler() != scheduler) {
                n.problems().add(e.origin(), n.path(e.label()) + ": " + f.configName() + " only applies to scheduler = "
                        + f.scheduler().configName());
                ok = false;
            } else {
                flags.add(f);
            }
        }
        return ok ? Set.copyOf(flags) : null;
    }

    /** The family of a service: its address's, or for fwmark services its real servers'. */
    private static Boolean family(ConfigNode n, Optional<InetAddress> address, List<RealServer> real) {
        if (address.isPresent()) {
            return address.get() instanceof Inet6Address;
        }
        if (real == null || real.isEmpty()) {
            return n.has("fwmark") ? Boolean.FALSE : null;
        }
        return real.get(0).address() instanceof Inet6Address;
    }

    private static Persistence persistence(ConfigNode p, Boolean ipv6) {
        Duration timeout = p.duration("timeout", Duration.ZERO, Duration.ofSeconds(Integer.MAX_VALUE));
        if (timeout != null && timeout.toNanos() % 1_000_000_000L != 0) {
            p.problem("timeout", Durations.format(timeout) + " is not whole seconds (IPVS counts seconds)");
            timeout = null;
        }
        String mask = p.string("netmask");
        p.checkUnknownKeys();
        Integer prefix = mask == null ? null : prefixLength(p, mask, ipv6);
        return timeout == null || prefix == null ? null : new Persistence(timeout, prefix);
    }

    private static Integer prefixLength(ConfigNode p, String mask, Boolean ipv6) {
        boolean v6 = Boolean.TRUE.equals(ipv6);
        if (mask.startsWith("/")) {
            try {
                int len = Integer.parseInt(mask.substring(1));
                if (len >= 1 && len <= (v6 ? 128 : 32)) {
                    return len;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        } else if (mask.equals("255.255.255.255")) {
            return v6 ? 128 : 32;
        } else if (!v6) {
            Optional<InetAddress> a = Addresses.parse(mask);
            if (a.isPresent() && a.get().getAddress().length == 4) {
                int bits = java.nio.ByteBuffer.wrap(a.get().getAddress()).getInt();
                int len = Integer.bitCount(bits);
                if (len > 0 && bits == (int) (0xFFFFFFFFL << (32 - len))) {
                    return len;
                }
            }
        }
        p.problem("netmask", "\"" + mask + "\" is not " + (v6 ? "a prefix length /1../128 for an IPv6 service"
                : "a contiguous IPv4 netmask or a prefix length /1../32"));
        return null;
    }

    /** A health check; also used for a real server's overrides merged over its virtual server's. */
    private static HealthCheck healthCheck(ConfigNode h) {
        return HealthCheckReader.read(h);
    }

    /**
     * The real servers of {@code vs}; {@code inherited} is the check read from {@code vsCheck}
     * without a problem (null if there was one), which a real server without overrides gets.
     */
    private static List<RealServer> realServers(ConfigNode vs, ConfigObject defaults, ConfigObject vsCheck,
            HealthCheck inherited, int vsPort, Forwarding vsForwarding, EngineCheck engine) {
        List<RealServer> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean ok = true;
        Boolean vsIpv6 = vs.optionalString("address").flatMap(Addresses::parse).map(a -> a instanceof Inet6Address).orElse(null);
        for (ConfigNode r : vs.objectList("real-servers", defaults)) {
            RealServer rs = realServer(r, vsCheck, inherited, vsPort, vsForwarding, vsIpv6, vs.has("fwmark") || vs.has("ports"),
                    engine);
            if (rs == null) {
                ok = false;
                continue;
            }
            Integer first = seen.putIfAbsent(rs.identity(), r.origin().lineNumber());
            if (first != null) {
                r.problemHere(rs.identity() + " is listed twice (first at line " + first + ")");
                ok = false;
                continue;
            }
            if (!out.isEmpty() && vsIpv6 == null && out.get(0).address() instanceof Inet6Address != rs.address() instanceof Inet6Address
                    && rs.forwarding() != Forwarding.TUN) {
                r.problem("address", Addresses.format(rs.address()) + " is not the family of the other real servers");
                ok = false;
                continue;
            }
            out.add(rs);
        }
        return ok ? List.copyOf(out) : null;
    }

    private static BackendTunnel tunnel(ConfigNode t, Forwarding forwarding) {
        TunnelType type = t.enumValue("type", TunnelType.class);
        TunnelChecksum checksum = t.enumValue("checksum", TunnelChecksum.class);
        Integer port = t.has("port") ? t.integer("port", 1, 65535) : Integer.valueOf(0);
        t.checkUnknownKeys();
        if (type == null || checksum == null || port == null) {
            return null;
        }
        if (type == TunnelType.GUE && port == 0) {
            t.problem("type", "gue needs tunnel.port, the real server's UDP port");
            return null;
        }
        if (type != TunnelType.GUE && port != 0) {
            t.problem("port", "only gue tunnels have a port");
            return null;
        }
        if (type == TunnelType.IPIP && checksum != TunnelChecksum.NONE) {
            t.problem("checksum", "ipip tunnels have no checksum option (gue and gre do)");
            return null;
        }
        BackendTunnel tunnel = new BackendTunnel(type, port, checksum);
        if (forwarding != null && forwarding != Forwarding.TUN && !tunnel.equals(BackendTunnel.IPIP)) {
            t.problem("type", type.configName() + " is for tun forwarding, and this real server uses "
                    + forwarding.configName());
            return null;
        }
        return tunnel;
    }

    private static RealServer realServer(ConfigNode r, ConfigObject vsCheck, HealthCheck inherited, int vsPort,
            Forwarding vsForwarding, Boolean vsIpv6, boolean otherService, EngineCheck engine) {
        String addressText = r.string("address");
        Optional<InetAddress> address = addressText == null ? Optional.empty() : Addresses.parse(addressText);
        if (addressText != null && address.isEmpty()) {
            r.problem("address", "\"" + addressText + "\" is not an IP address");
        }
        Integer port = r.has("port") ? r.integer("port", 1, 65535) : Integer.valueOf(vsPort);
        Integer weight = r.integer("weight", 0, 65535);
        Forwarding forwarding = r.has("forwarding") ? r.enumValue("forwarding", Forwarding.class) : vsForwarding;
        ConfigValue override = r.value("health-check");
        HealthCheck check;
        if (vsCheck == null) {
            check = null; // the virtual server's own check is wrong, and said so
        } else if (override == null && inherited != null) {
            check = inherited;
        } else if (override == null) {
            check = healthCheck(new ConfigNode(r.path("health-check"), vsCheck, null, r.problems()));
        } else {
            ConfigNode o = r.over("health-check", override, vsCheck, r.path("health-check"));
            check = o == null ? null : healthCheck(o);
        }
        if (address.isPresent() && vsIpv6 != null && vsIpv6 != address.get() instanceof Inet6Address
                && forwarding != Forwarding.TUN) {
            r.problem("address", Addresses.format(address.get()) + " is " + Addresses.family(address.get())
                    + " but the virtual server is " + (vsIpv6 ? "IPv6" : "IPv4") + " (only tun may mix families)");
            address = Optional.empty();
        }
        Integer upper = r.integer("upper-threshold", 0, Integer.MAX_VALUE);
        Integer lower = r.integer("lower-threshold", 0, Integer.MAX_VALUE);
        if (upper != null && lower != null && lower > 0 && (upper == 0 || lower >= upper)) {
            r.problem("lower-threshold", lower + " needs an upper-threshold above it (is " + upper + ")");
            lower = null;
        }
        BackendTunnel tunnel = tunnel(r.child("tunnel"), forwarding);
        if (check != null && port != null && port == 0 && check.type().usesPort() && check.connectPort().isEmpty()) {
            r.problemHere("a " + check.type().configName() + " check needs health-check.connect-port"
                    + " (this real server has no port of its own)");
            check = null;
        }
        Optional<Program> notifyUp = ProgramReader.notify(r, "notify-up", "notify-user", "notify-timeout");
        Optional<Program> notifyDown = ProgramReader.notify(r, "notify-down", "notify-user", "notify-timeout");
        boolean fits = engine.realServer(r, forwarding, upper == null ? 0 : upper,
                tunnel == null ? null : tunnel.type(), otherService);
        r.checkUnknownKeys();
        if (!fits || address.isEmpty() || port == null || weight == null || forwarding == null || check == null
                || upper == null || lower == null || tunnel == null) {
            return null;
        }
        return new RealServer(address.get(), port, weight, forwarding, check, upper, lower, tunnel, notifyUp,
                notifyDown);
    }

    private static Optional<SyncDaemon> syncDaemon(ConfigNode s, Map<String, VrrpInstance> instances,
            Set<String> instanceNames) {
        String instance = s.string("instance");
        if (instance != null && !instanceNames.contains(instance)) {
            s.problem("instance", "no instance named \"" + instance + "\" in vipkeeper.vrrp.instances"
                    + Suggestions.hint(instance, instanceNames));
            instance = null;
        }
        VrrpInstance vi = instance == null ? null : instances.get(instance);
        String iface = s.has("interface") ? VrrpReader.interfaceName(s, "interface") : vi == null ? null : vi.interfaceName();
        Integer syncId = s.has("sync-id") ? s.integer("sync-id", 0, 255) : vi == null ? null : vi.virtualRouterId();
        SyncDaemonOptions options = SyncDaemonOptions.read(s);
        s.checkUnknownKeys();
        return iface == null || syncId == null || instance == null || options == null ? Optional.empty()
                : Optional.of(new SyncDaemon(iface, instance, syncId, options.maxLength(), options.group(),
                        options.port(), options.ttl()));
    }
}
