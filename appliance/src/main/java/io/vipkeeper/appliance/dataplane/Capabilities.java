package io.vipkeeper.appliance.dataplane;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a data plane engine can express: the schedulers, scheduler flags, forwarding methods,
 * tunnel types and protocols it maps to its kernel, and whether it balances firewall-mark
 * services. A config that needs something outside these is refused (at the file and line of the
 * setting) rather than half programmed.
 *
 * @param engine the engine's name for messages ("ipvs")
 * @param schedulers schedulers it implements
 * @param schedulerFlags scheduler flags it honours
 * @param forwarding forwarding methods it implements
 * @param tunnels tunnel encapsulations for tun forwarding
 * @param protocols transport protocols it balances
 * @param fwmark whether it balances firewall-mark services
 * @param options the service and backend options it honours
 * @param defaultScheduler the scheduler of a service whose config names none: a file must not
 *     turn invalid by moving to a kernel with another engine
 */
public record Capabilities(String engine, Set<Scheduler> schedulers, Set<SchedulerFlag> schedulerFlags,
        Set<Forwarding> forwarding, Set<TunnelType> tunnels, Set<TransportProtocol> protocols, boolean fwmark,
        Set<Option> options, Scheduler defaultScheduler) {
    /** Copies the sets. */
    public Capabilities {
        schedulers = Set.copyOf(schedulers);
        schedulerFlags = Set.copyOf(schedulerFlags);
        forwarding = Set.copyOf(forwarding);
        tunnels = Set.copyOf(tunnels);
        protocols = Set.copyOf(protocols);
        options = Set.copyOf(options);
    }

    /** A service or backend option beyond scheduler, forwarding and protocol. */
    public enum Option {
        /** Client affinity ({@code persistence.timeout} above 0). */
        PERSISTENCE,
        /** UDP: each datagram scheduled on its own. */
        ONE_PACKET,
        /** A backend's upper and lower connection thresholds. */
        THRESHOLDS,
        /**
         * Connection thresholds of dr, tun and stateless-nat real servers and of firewall-mark and
         * port-list services (nftables counts a backend's connections in conntrack by VIP and port,
         * so it has thresholds for nat of an address and port only).
         */
        THRESHOLDS_ANY_SERVICE,
        /** The kernel's connection sync daemon ({@code ipvs.sync-daemon}). */
        SYNC_DAEMON,
        /** The kernel's IPVS connection timeouts ({@code ipvs.timeouts}: tcp, tcp-fin, udp). */
        CONNECTION_TIMEOUTS,
        /** A firewall-mark service whose real servers mix a port of their own with none (port 0). */
        MIXED_PORTS,
        /** A service on a list of ports and ranges ({@code ports}), which IPVS has not. */
        PORT_LISTS,
        /** dr with any scheduler: the engine keeps per-connection state, so rr or wrr keep a connection in place. */
        DR_ANY_SCHEDULER,
        /** dr for IPv6 services. */
        DR_IPV6,
        /** Real servers of one service forwarding differently (dr beside nat). */
        MIXED_FORWARDING,
        /** Persistence of IPv6 services. */
        PERSISTENCE_IPV6,
        /**
         * Persistence of an IPv6 service whose real servers (and sorry server) differ in port: the
         * nftables engine records an IPv6 client's backend address only, so it needs one port.
         */
        PERSISTENCE_IPV6_PORTS,
        /** Services on every port ({@code port = 0}, persistent). */
        ALL_PORTS,
        /** Persistence of firewall-mark, port-list and dr services (nftables has it for NAT on one port). */
        PERSISTENCE_ANY_SERVICE,
        /**
         * Not a feature but a trait the reconciler must know (IPVS): mh, sh and dh build their
         * tables from the destination list in list order, and an added destination goes to the
         * list's head, so the reconciler keeps the list in canonical order.
         */
        HASH_LIST_ORDER
    }

    /**
     * Why this engine cannot keep persistence of a service of this family ({@code ipv6}) whose real
     * servers and sorry server are on {@code ports} distinct ports, or null: without {@link
     * Option#PERSISTENCE_IPV6_PORTS} (nftables) an IPv6 client's real server is recorded by address
     * only. The one statement of the rule, for the config check and for a runtime backend order.
     */
    public String persistencePortsRefusal(boolean ipv6, long ports) {
        if (!ipv6 || ports <= 1 || options.contains(Option.PERSISTENCE_IPV6_PORTS)) {
            return null;
        }
        return "the " + engine + " data plane has no IPv6 persistence over real servers on different ports: it records"
                + " an IPv6 client's real server by address only (nft 1.0.6 cannot record an IPv6 address . port)";
    }

    /** These capabilities without the forwarding method {@code f}. */
    public Capabilities without(Forwarding f) {
        return new Capabilities(engine, schedulers, schedulerFlags, minus(forwarding, f), tunnels, protocols, fwmark,
                options, defaultScheduler);
    }

    /** These capabilities without {@code option}. */
    public Capabilities without(Option option) {
        return new Capabilities(engine, schedulers, schedulerFlags, forwarding, tunnels, protocols, fwmark,
                minus(options, option), defaultScheduler);
    }

    /** These capabilities without {@code scheduler}. */
    public Capabilities without(Scheduler scheduler) {
        return new Capabilities(engine, minus(schedulers, scheduler), schedulerFlags, forwarding, tunnels, protocols,
                fwmark, options, defaultScheduler);
    }

    /** {@code set} without {@code gone}, as a new set. */
    private static <E extends Enum<E>> Set<E> minus(Set<E> set, E gone) {
        Set<E> fewer = EnumSet.noneOf(gone.getDeclaringClass());
        fewer.addAll(set);
        fewer.remove(gone);
        return fewer;
    }

    /**
     * Everything the neutral model has (IPVS, whose names the model keeps, has all of it but port
     * lists), wlc by default.
     */
    public static Capabilities everything(String engine) {
        return new Capabilities(engine, EnumSet.allOf(Scheduler.class), EnumSet.allOf(SchedulerFlag.class),
                EnumSet.allOf(Forwarding.class), EnumSet.allOf(TunnelType.class),
                EnumSet.allOf(TransportProtocol.class), true, EnumSet.allOf(Option.class), Scheduler.WLC);
    }
}
