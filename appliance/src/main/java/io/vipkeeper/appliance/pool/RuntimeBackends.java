package io.vipkeeper.appliance.pool;

import com.typesafe.config.ConfigFactory;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendTunnel;
import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.Forwarding;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Runtime backends ({@code vipkeeper backend add}): backends that are not in the file, each made
 * into a {@link RealServer} the way the config makes one without overrides (the service's forwarding
 * and health check, no thresholds, no notify programs) and merged into the settings, so that the
 * health monitor, the pools and the status see them as they see the file's.
 */
final class RuntimeBackends {
    /** The weight of a backend added without one: the config's default real-server weight. */
    static final int DEFAULT_WEIGHT = ConfigFactory.defaultReference().getInt("vipkeeper.ipvs.real-server-defaults.weight");

    private RuntimeBackends() {
    }

    /**
     * The backend {@code text} names as a new backend of {@code vs} ({@code ADDR:PORT}, or the bare
     * address: the service's port, none on a service without one), checked against the service.
     *
     * @throws BackendRefusal naming what is wrong
     */
    static BackendKey parse(VirtualServer vs, String text) throws BackendRefusal {
        Optional<InetSocketAddress> socket = Addresses.parseSocket(text);
        InetAddress address;
        int port;
        if (socket.isPresent()) {
            address = socket.get().getAddress();
            port = socket.get().getPort();
        } else {
            address = Addresses.parse(text).orElseThrow(() -> new BackendRefusal(BackendRefusal.Reason.BAD_REQUEST,
                    "\"" + text + "\" is not a backend address: ADDR[:PORT] with PORT 1..65535, IPv6 as [ADDR]:PORT"));
            port = vs.port();
        }
        BackendKey key = new BackendKey(address, port);
        Optional<String> wrong = problem(vs, key);
        if (wrong.isPresent()) {
            throw new BackendRefusal(BackendRefusal.Reason.BAD_REQUEST, wrong.get());
        }
        return key;
    }

    /**
     * What keeps {@code key} from being a backend of {@code vs} (the rules the config reader applies to
     * a real server of the file), empty when it may be one.
     */
    static Optional<String> problem(VirtualServer vs, BackendKey key) {
        InetAddress a = key.address();
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()
                || Addresses.format(a).equals("255.255.255.255")) {
            return Optional.of(Addresses.format(a) + " cannot be a backend: not one host's unicast address");
        }
        if (vs.address().filter(a::equals).isPresent()) {
            return Optional.of(Addresses.format(a) + " is virtual server " + vs.name() + "'s own address");
        }
        if (vs.ipv6() != a instanceof Inet6Address && vs.forwarding() != Forwarding.TUN) {
            return Optional.of(Addresses.format(a) + " is " + Addresses.family(a) + " but virtual server " + vs.name()
                    + " is " + (vs.ipv6() ? "IPv6" : "IPv4") + " (only tun may mix families)");
        }
        if (vs.port() == 0) {
            List<RealServer> others = vs.realServers().stream().filter(rs -> !rs.key().equals(key)).toList();
            boolean portless = others.stream().anyMatch(rs -> rs.port() == 0);
            boolean ported = others.stream().anyMatch(rs -> rs.port() != 0);
            if (key.port() != 0 && portless && !ported) {
                return Optional.of("the backends of " + vs.name() + " carry no port: give the address alone");
            }
            if (key.port() == 0 && ported && !portless) {
                return Optional.of("the backends of " + vs.name() + " carry a port: give ADDR:PORT");
            }
            if (key.port() == 0 && vs.healthCheck().type().usesPort() && vs.healthCheck().connectPort().isEmpty()) {
                return Optional.of("the " + vs.healthCheck().type().configName() + " check of " + vs.name()
                        + " needs a port, and the service has none: give ADDR:PORT");
            }
        }
        return Optional.empty();
    }

    /**
     * What keeps the engine ({@code caps}; null: none open, nothing checked) from programming
     * {@code key} beside the other backends of {@code vs}, empty when nothing does: an IPv6
     * persistent service on nftables keeps its real servers and sorry server on one port. Without
     * this the order was taken and the engine refused the backend at every reconcile run.
     */
    static Optional<String> engineProblem(VirtualServer vs, BackendKey key, Capabilities caps) {
        return engineRefusal(vs, key, caps).map(why -> why + "; add the backend on " + (ports(vs, key).size() == 1
                ? "that port" : "one port"));
    }

    /**
     * The engine's reason alone ("virtual server S is persistent over IPv6 and its backends are on
     * port P: ..."), for {@link #engineProblem} and {@link #conflicts}. Every backend of the file
     * counts, at weight 0 too, as the config check counts them: the engine judges only live ones,
     * but a weight-0 backend can be given a weight at runtime ({@code backend weight}, {@code
     * enable}) without a check, and would then be refused at every run.
     */
    private static Optional<String> engineRefusal(VirtualServer vs, BackendKey key, Capabilities caps) {
        if (caps == null || vs.persistence() == null || vs.persistence().timeout().isZero()) {
            return Optional.empty();
        }
        Set<Integer> ports = ports(vs, key);
        Set<Integer> with = new TreeSet<>(ports);
        with.add(key.port());
        String refusal = caps.persistencePortsRefusal(vs.ipv6(), with.size());
        if (refusal == null) {
            return Optional.empty();
        }
        return Optional.of("virtual server " + vs.name() + " is persistent over IPv6 and its backends are on port"
                + (ports.size() == 1 ? " " : "s ") + ports.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + ": " + refusal);
    }

    /** The ports of the backends of {@code vs} but {@code key}, and of its sorry server. */
    private static Set<Integer> ports(VirtualServer vs, BackendKey key) {
        Set<Integer> ports = new TreeSet<>();
        vs.realServers().stream().filter(rs -> !rs.key().equals(key)).forEach(rs -> ports.add(rs.port()));
        vs.sorryServer().ifPresent(s -> ports.add(s.getPort()));
        return ports;
    }

    /**
     * A runtime backend the engine cannot program beside the real servers a file gives its
     * service (a reload that moved an IPv6 persistent pool to another port on nftables).
     *
     * @param virtualServer its virtual server's name
     * @param backend the runtime backend
     * @param weight the weight it was added at
     * @param reason the engine's reason
     */
    record Conflict(String virtualServer, BackendKey backend, int weight, String reason) {
        /** Why a reload is refused, with what the operator does about it. */
        String refusal() {
            return "vipkeeper.ipvs.virtual-servers." + virtualServer + ".real-servers: runtime backend " + backend
                    + " (vipkeeper backend add, on port " + backend.port() + ") conflicts with this file: " + reason
                    + "; `vipkeeper backend remove " + virtualServer + " " + backend + "` first (or put it in the file"
                    + " on the file's port), then reload";
        }

        /** The line of a runtime state dropped (a start, or an order that came between check and reload). */
        String dropped() {
            return "runtime backend " + virtualServer + " " + backend + " (added at weight " + weight + "): " + reason;
        }
    }

    /**
     * The runtime backends ({@code added}) that the engine ({@code caps}; null: none open, none
     * listed) cannot program beside {@code file}'s real servers of their service and the runtime
     * backends added before them, in the order added. A backend the file has or the service cannot
     * have at all is not listed: {@link RuntimeState#retain} makes it the file's or drops it.
     */
    static List<Conflict> conflicts(IpvsSettings file, Map<String, Map<BackendKey, Integer>> added, Capabilities caps) {
        List<Conflict> out = new ArrayList<>();
        if (caps == null) {
            return out;
        }
        added.forEach((name, backends) -> {
            VirtualServer vs = file.virtualServers().get(name);
            if (vs == null) {
                return;
            }
            List<RealServer> reals = new ArrayList<>(vs.realServers());
            backends.forEach((k, w) -> {
                if (reals.stream().anyMatch(rs -> rs.key().equals(k)) || problem(vs, k).isPresent()) {
                    return;
                }
                Optional<String> why = engineRefusal(withRealServers(vs, reals), k, caps);
                if (why.isPresent()) {
                    out.add(new Conflict(name, k, w, why.get()));
                } else {
                    reals.add(backend(vs, k, w));
                }
            });
        });
        return out;
    }

    /** A runtime backend of {@code vs} at {@code weight}, as the config would make it. */
    static RealServer backend(VirtualServer vs, BackendKey key, int weight) {
        return new RealServer(key.address(), key.port(), weight, vs.forwarding(), vs.healthCheck(), 0, 0,
                BackendTunnel.IPIP);
    }

    /**
     * {@code file} with each virtual server's runtime backends ({@code added}: name, backend, weight)
     * after its own; a backend the file has or the service cannot have is left out.
     */
    static IpvsSettings merge(IpvsSettings file, Map<String, Map<BackendKey, Integer>> added) {
        if (added.isEmpty()) {
            return file;
        }
        Map<String, VirtualServer> out = new LinkedHashMap<>();
        for (VirtualServer vs : file.virtualServers().values()) {
            Map<BackendKey, Integer> extra = added.getOrDefault(vs.name(), Map.of());
            if (extra.isEmpty()) {
                out.put(vs.name(), vs);
                continue;
            }
            List<RealServer> reals = new ArrayList<>(vs.realServers());
            extra.forEach((k, w) -> {
                if (reals.stream().noneMatch(rs -> rs.key().equals(k)) && problem(vs, k).isEmpty()) {
                    reals.add(backend(vs, k, w));
                }
            });
            out.put(vs.name(), withRealServers(vs, reals));
        }
        return file.withVirtualServers(out);
    }

    private static VirtualServer withRealServers(VirtualServer v, List<RealServer> reals) {
        return new VirtualServer(v.name(), v.address(), v.port(), v.ports(), v.fwmark(), v.ipv6(), v.protocol(),
                v.scheduler(), v.schedulerFlags(), v.onePacket(), v.forwarding(), v.snat(), v.snatAddress(), v.persistence(), v.quorum(),
                v.hysteresis(), v.sorryServer(), v.inhibitOnFailure(), v.healthCheck(), List.copyOf(reals));
    }
}
