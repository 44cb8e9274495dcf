package io.vipkeeper.appliance.it;

import java.util.Map;

/**
 * What {@link EngineBehaviour} needs to know about one data-plane engine: the {@code data-plane}
 * setting (also the engine's name in the daemon's log lines, "ipvs reload: ..."), how to read the
 * kernel's table as an oracle, how to make drift by hand, and where the engines legitimately differ
 * (dr drain, how direct routing shows).
 */
interface BehaviourEngine {
    /** The {@code vipkeeper.data-plane} value, which is also how the daemon's log lines name the engine. */
    String dataPlane();

    /** Each backend ("ADDR:PORT") of the service the kernel has at {@code vip}:{@code port}, with its weight; empty without one. */
    Map<String, Integer> weights(Lab lab, String node, String vip, int port);

    /** Deletes the service at {@code vip}:{@code port} by hand, as an operator might, behind the daemon's back. */
    void deleteService(Lab lab, String node, String vip, int port) throws Exception;

    /**
     * Whether a dr backend removed by reload still serves a connection it has open. IPVS keeps the
     * connection's entry (the backend drains at weight 0); nftables dr runs in netdev ingress
     * without conntrack, so the flow follows the new map at once (to a backend that resets it).
     * NAT drains alike on both: weight 0 and the connection served to its end.
     */
    boolean drDrainServesOpenConnections();

    /**
     * Whether wrr picks at random by weight (nftables: {@code numgen random} over weight
     * intervals), so a split follows the weights only on average; IPVS's wrr is an exact cycle.
     */
    boolean wrrIsRandom();

    /**
     * The largest fraction of flows mh may remap when 1 of {@code backends} leaves: the issue's
     * 1.1 x 1/N on both engines (the step picks a leaving backend with at most its fair share of
     * the flows). Maglev's own extra remap is small: nftables' table has 8191 slots a service,
     * IPVS's 4093 (Debian's CONFIG_IP_VS_MH_TAB_INDEX=12, the prime the VM's ip_vs_mh.ko compares
     * with), where a simulation of its fill (200 random 10-backend sets) moved 1.1 % of the slots
     * besides the leaving backend's on average, 3.2 % at most.
     */
    double mhRemapBound(int backends);

    /**
     * The web service's health-check interval and timeout (HOCON). The checks must not fail while
     * a backend serves: a false DOWN removes it, which moves mh's flows, and with both of a
     * pool's backends out no request is answered.
     */
    String checkTiming();

    /** Whether the kernel's table in {@code node} forwards by direct routing (null: it does; else what it shows). */
    String directRoutingProblem(Lab lab, String node);
}
