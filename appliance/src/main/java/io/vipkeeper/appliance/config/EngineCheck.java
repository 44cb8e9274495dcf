package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;
import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.TunnelType;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses, at the line of the setting, what the engine that will run the config cannot do (a
 * {@code lblc} scheduler on nftables, a sync daemon without IPVS), so a config is turned down whole
 * at {@code check}, start or reload instead of being half programmed. It also gives a service
 * without a {@code scheduler} the engine's default.
 */
final class EngineCheck {
    /** Checks nothing: the defaults blocks are read on their own for unknown keys only. */
    static final EngineCheck NONE = new EngineCheck(Capabilities.everything("any"));

    private final Capabilities caps;

    EngineCheck(Capabilities caps) {
        this.caps = caps;
    }

    /** The engine's name, for messages and status ("ipvs"). */
    String engine() {
        return caps.engine();
    }

    /** The scheduler the file names, else the engine's default; null (reported) when the engine lacks it. */
    Scheduler scheduler(ConfigNode n) {
        if (!n.has("scheduler")) {
            return caps.defaultScheduler();
        }
        Scheduler s = n.enumValue("scheduler", Scheduler.class);
        if (s == Scheduler.SYMHASH && !caps.schedulers().contains(s)) {
            n.problem("scheduler", lacks("symmetric hash (symhash is nftables')") + ": use sh");
            return null;
        }
        return s == null || supported(n, "scheduler", s, caps.schedulers()) ? s : null;
    }

    /** Whether the engine has every flag; the ones it lacks are reported. */
    boolean schedulerFlags(ConfigNode n, Set<SchedulerFlag> flags) {
        boolean ok = true;
        for (SchedulerFlag f : flags) {
            ok &= supported(n, "scheduler-flags", f, caps.schedulerFlags());
        }
        return ok;
    }

    /** Checks the service-wide settings the engine may lack; false when one was reported. */
    boolean service(ConfigNode n, TransportProtocol protocol, boolean fwmark, Forwarding forwarding, boolean onePacket,
            boolean persistent) {
        boolean ok = protocol == null || supported(n, "protocol", protocol, caps.protocols());
        if (fwmark && !caps.fwmark()) {
            n.problem("fwmark", lacks("firewall-mark services") + "; give address and port");
            ok = false;
        }
        ok &= forwarding == null || forwarding(n, forwarding);
        ok &= option(n, "one-packet", onePacket, Capabilities.Option.ONE_PACKET, "one-packet scheduling");
        ok &= option(n, "persistence", persistent, Capabilities.Option.PERSISTENCE, "persistence");
        return ok;
    }

    /**
     * Checks what a persistent service asks beyond persistence itself: IPv6, IPv6 with real servers
     * (and sorry server) on more than one port ({@code ports}: how many distinct ones), every port, a
     * mark, port-list or dr service ({@code other}). Says nothing where the engine has no
     * persistence at all ({@link #service} said so).
     */
    boolean persistence(ConfigNode n, boolean ipv6, long ports, boolean allPorts, boolean other) {
        if (!caps.options().contains(Capabilities.Option.PERSISTENCE)) {
            return true;
        }
        boolean ok = option(n, "persistence", ipv6, Capabilities.Option.PERSISTENCE_IPV6, "IPv6 persistence");
        String ports6 = ok ? caps.persistencePortsRefusal(ipv6, ports) : null;
        if (ports6 != null) {
            n.problem(n.has("real-servers") ? "real-servers" : "persistence", ports6
                    + "; give the real servers and sorry server one port");
            ok = false;
        }
        ok &= option(n, "persistence", other, Capabilities.Option.PERSISTENCE_ANY_SERVICE,
                "persistence of firewall-mark, port-list or dr services");
        return ok & option(n, "port", allPorts, Capabilities.Option.ALL_PORTS, "all-ports (port 0) services");
    }

    /**
     * Checks a real server's own settings, {@code otherService} true for one of a firewall-mark or
     * port-list service (where nftables counts no connections for a threshold); false when one was
     * reported.
     */
    boolean realServer(ConfigNode r, Forwarding forwarding, int upperThreshold, TunnelType tunnel, boolean otherService) {
        boolean ok = forwarding == null || !r.has("forwarding") || forwarding(r, forwarding);
        ok &= option(r, "upper-threshold", upperThreshold > 0, Capabilities.Option.THRESHOLDS, "connection thresholds");
        if (ok && upperThreshold > 0 && !caps.options().contains(Capabilities.Option.THRESHOLDS_ANY_SERVICE)) {
            if (forwarding != null && forwarding != Forwarding.NAT) {
                r.problem("upper-threshold", lacks("connection thresholds for forwarding " + forwarding.configName())
                        + ": it counts a real server's connections in conntrack, which " + forwarding.configName()
                        + " bypasses (it forwards in netdev ingress); use nat, or set data-plane = ipvs");
                ok = false;
            } else if (otherService) {
                r.problem("upper-threshold", lacks("connection thresholds in firewall-mark or port-list services")
                        + ": it counts a real server's connections by VIP and port; give the virtual server one port");
                ok = false;
            }
        }
        if (forwarding == Forwarding.TUN && tunnel != null) {
            ok &= supported(r.child("tunnel"), "type", tunnel, caps.tunnels());
        }
        return ok;
    }

    /**
     * Checks that the engine can DNAT a firewall-mark service's real servers when some keep the
     * packet's port (no port of their own) and others have one; false when it was reported.
     */
    boolean realServerPorts(ConfigNode n, boolean fwmark, List<RealServer> real) {
        boolean mixed = fwmark && real.stream().anyMatch(r -> r.port() == 0) && real.stream().anyMatch(r -> r.port() != 0);
        return option(n, "real-servers", mixed, Capabilities.Option.MIXED_PORTS,
                "firewall-mark services whose real servers mix a port of their own with none (give all or none a port)");
    }

    /**
     * Checks that the engine balances port lists when the service has one; IPVS has no multiport
     * service, and a firewall-mark service does the same there.
     */
    boolean portList(ConfigNode n, boolean used) {
        if (used && !caps.options().contains(Capabilities.Option.PORT_LISTS)) {
            n.problem("ports", lacks("port lists (no multiport services): mark the ports with a rule and use a"
                    + " fwmark service instead"));
            return false;
        }
        return true;
    }

    /**
     * Checks dr (the service's forwarding or a real server's) against an engine that forwards it
     * without connection state: only a hash of the client (sh, mh) then keeps a connection on one
     * real server. False when a problem was reported.
     */
    boolean directRouting(ConfigNode n, Scheduler scheduler, Forwarding forwarding, List<RealServer> real, Boolean ipv6) {
        if (forwarding != Forwarding.DR && (real == null || real.stream().noneMatch(r -> r.forwarding() == Forwarding.DR))) {
            return true;
        }
        String key = n.has("forwarding") ? "forwarding" : "real-servers";
        boolean ok = true;
        if (real != null && real.stream().anyMatch(r -> r.forwarding() != Forwarding.DR)
                && !caps.options().contains(Capabilities.Option.MIXED_FORWARDING)) {
            n.problem("real-servers", lacks("dr beside other forwarding in one virtual server") + "; give them all dr");
            ok = false;
        }
        if (Boolean.TRUE.equals(ipv6) && !caps.options().contains(Capabilities.Option.DR_IPV6)) {
            n.problem(key, lacks("dr for IPv6"));
            ok = false;
        }
        if (scheduler != null && scheduler != Scheduler.SH && scheduler != Scheduler.MH
                && !caps.options().contains(Capabilities.Option.DR_ANY_SCHEDULER)) {
            n.problem(n.has("scheduler") ? "scheduler" : key, lacks("dr with scheduler " + scheduler.configName())
                    + ": it forwards dr without connection tracking, so only a hash of the client keeps a connection"
                    + " on one real server; use sh or mh");
            ok = false;
        }
        return ok;
    }

    /**
     * Checks stateless-nat (the service's forwarding or a real server's), which rewrites each
     * datagram with no connection state: UDP only (a TCP or SCTP connection needs its state), every
     * real server alike (IPv4 or IPv6), an address and port, and a hash of the client (sh, mh) so a flow
     * stays on one real server. False when a problem was reported; says nothing when the engine
     * lacks stateless-nat (the forwarding check said so).
     */
    boolean statelessNat(ConfigNode n, Scheduler scheduler, TransportProtocol protocol, Forwarding forwarding,
            List<RealServer> real) {
        boolean any = forwarding == Forwarding.STATELESS_NAT
                || real != null && real.stream().anyMatch(r -> r.forwarding() == Forwarding.STATELESS_NAT);
        if (!any || !caps.forwarding().contains(Forwarding.STATELESS_NAT)) {
            return true;
        }
        String key = n.written("forwarding") ? "forwarding" : "real-servers";
        boolean ok = true;
        if (real != null && real.stream().anyMatch(r -> r.forwarding() != Forwarding.STATELESS_NAT)) {
            n.problem("real-servers", "stateless-nat forwards all real servers of a virtual server alike; give them all"
                    + " stateless-nat");
            ok = false;
        }
        if (protocol != null && protocol != TransportProtocol.UDP) {
            n.problem(n.written("protocol") ? "protocol" : key, "stateless-nat forwards UDP only (protocol = udp): a "
                    + protocol.configName() + " connection needs the connection state it does without; use nat");
            ok = false;
        }
        if (n.has("fwmark") || n.has("ports")) {
            n.problem(n.has("fwmark") ? "fwmark" : "ports", "stateless-nat forwards a service on one address and port only");
            ok = false;
        }
        if (scheduler != null && scheduler != Scheduler.SH && scheduler != Scheduler.MH) {
            n.problem(n.has("scheduler") ? "scheduler" : key, "stateless-nat with scheduler " + scheduler.configName()
                    + ": without connection state only a hash of the client keeps a flow on one real server; use sh or"
                    + " mh (with sh-port or mh-port to spread one client's ports)");
            ok = false;
        }
        return ok;
    }

    /** Checks that the engine has a sync daemon when the file asks for one. */
    void syncDaemon(ConfigNode ipvs) {
        option(ipvs, "sync-daemon", true, Capabilities.Option.SYNC_DAEMON, "connection sync daemon");
    }

    /**
     * Checks that the engine has IPVS's connection timeouts when the file sets some; nftables
     * tracks connections in conntrack, whose timeouts are the kernel's sysctls.
     */
    void connectionTimeouts(ConfigNode ipvs) {
        if (!caps.options().contains(Capabilities.Option.CONNECTION_TIMEOUTS)) {
            ipvs.problem("timeouts", lacks("IPVS connection timeouts") + ": its connections live in conntrack,"
                    + " whose timeouts are the sysctls net.netfilter.nf_conntrack_tcp_timeout_established,"
                    + " nf_conntrack_tcp_timeout_fin_wait and nf_conntrack_udp_timeout_stream; set those and"
                    + " remove ipvs.timeouts");
        }
    }

    private boolean forwarding(ConfigNode n, Forwarding forwarding) {
        if (forwarding == Forwarding.STATELESS_NAT && !caps.forwarding().contains(forwarding)) {
            n.problem("forwarding", lacks("forwarding stateless-nat") + ": it rewrites UDP without connection"
                    + " tracking in netdev ingress, which only the nftables engine does; set data-plane = nftables"
                    + " (auto takes ipvs where the kernel has it) or use nat");
            return false;
        }
        return supported(n, "forwarding", forwarding, caps.forwarding());
    }

    private boolean option(ConfigNode n, String key, boolean used, Capabilities.Option option, String what) {
        if (used && !caps.options().contains(option)) {
            n.problem(key, lacks(what));
            return false;
        }
        return true;
    }

    private <E extends ConfigName> boolean supported(ConfigNode n, String key, E value, Collection<E> has) {
        if (has.contains(value)) {
            return true;
        }
        Set<String> names = new TreeSet<>();
        has.forEach(h -> names.add(h.configName()));
        n.problem(key, lacks(key + " " + value.configName()) + (names.isEmpty() ? "" : " (it has " + String.join(", ", names) + ")"));
        return false;
    }

    private String lacks(String what) {
        return "the " + caps.engine() + " data plane has no " + what;
    }
}
