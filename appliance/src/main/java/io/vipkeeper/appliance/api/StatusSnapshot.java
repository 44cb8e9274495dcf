package io.vipkeeper.appliance.api;

import java.util.List;
import java.util.Map;

/**
 * The daemon's state at one moment, as {@code GET /status} serves it and {@code vipkeeper status}
 * reads it back: plain values only (times as ISO-8601 strings, absent values as null) so the JSON
 * is the same whether written or read. Built by {@link StatusAssembler}.
 *
 * @param node the node name from the config
 * @param version the build's version line
 * @param configFile the config file in force
 * @param configDigest SHA-256 of the config in force (the file, then its includes), to tell which
 *     edit is running
 * @param startedAt when the daemon started
 * @param loadedAt when the settings in force were loaded
 * @param reloads reload outcomes so far
 * @param vrrpInstances VRRP instances in config order
 * @param virtualServers virtual servers in config order
 * @param ipvs the data plane manager's counters; null without an ipvs section
 * @param vrrpReceive receive drops no instance owns; null without a vrrp section
 * @param problems why {@code /healthz} answers 503 (an instance in FAULT, a misconfigured peer, a
 *     data plane the daemon cannot read or program), one reason each; empty when healthy
 * @param bgp the bgp VIPs in config order, each announced or not and why; empty without a bgp
 *     section (and from an older daemon)
 */
public record StatusSnapshot(String node, String version, String configFile, String configDigest, String startedAt,
        String loadedAt, Reloads reloads, List<Instance> vrrpInstances, List<VirtualServerStatus> virtualServers,
        DataPlane dataPlane, Ipvs ipvs, VrrpReceive vrrpReceive, List<String> problems, List<BgpVip> bgp) {

    /** Copies the lists (a daemon older than {@code problems} or {@code bgp} sends none). */
    public StatusSnapshot {
        vrrpInstances = List.copyOf(vrrpInstances);
        virtualServers = List.copyOf(virtualServers);
        problems = problems == null ? List.of() : List.copyOf(problems);
        bgp = bgp == null ? List.of() : List.copyOf(bgp);
    }

    /** A snapshot without bgp VIPs. */
    public StatusSnapshot(String node, String version, String configFile, String configDigest, String startedAt,
            String loadedAt, Reloads reloads, List<Instance> vrrpInstances, List<VirtualServerStatus> virtualServers,
            DataPlane dataPlane, Ipvs ipvs, VrrpReceive vrrpReceive, List<String> problems) {
        this(node, version, configFile, configDigest, startedAt, loadedAt, reloads, vrrpInstances, virtualServers,
                dataPlane, ipvs, vrrpReceive, problems, List.of());
    }

    /**
     * A VIP owned the bgp way.
     *
     * @param vip the address
     * @param announced whether it is on the announce device (the routing daemon announces it)
     * @param reason why it is announced or not
     * @param since when it was last announced or withdrawn
     * @param changes announces and withdrawals since the daemon started
     */
    public record BgpVip(String vip, boolean announced, String reason, String since, long changes) {
    }

    /**
     * Config reloads.
     *
     * @param ok reloads that succeeded
     * @param failed reloads that were refused
     * @param last the last one; null before the first reload
     */
    public record Reloads(long ok, long failed, LastReload last) {
    }

    /**
     * The last reload.
     *
     * @param at when it finished
     * @param ok whether the new config is in force
     * @param problems why not, each with file:line
     * @param summary what changed, or why it failed
     */
    public record LastReload(String at, boolean ok, List<String> problems, String summary) {
        /** Copies the problems. */
        public LastReload {
            problems = List.copyOf(problems);
        }
    }

    /**
     * One VRRP instance.
     *
     * @param name instance name
     * @param interfaceName its interface
     * @param vrid virtual router id
     * @param version VRRP version, 2 or 3
     * @param state INITIALIZE, BACKUP, MASTER or FAULT
     * @param configuredPriority priority from the config
     * @param effectivePriority priority advertised now (tracking included)
     * @param masterAddress the current master, null when unknown
     * @param advertIntervalMs configured advert interval
     * @param masterAdvertIntervalMs the master's advert interval (learned from its adverts in v3)
     * @param transitions state changes so far
     * @param lastTransition the last state change, null before one
     * @param advertsSent adverts sent
     * @param advertsReceived adverts received that passed every check
     * @param drops discarded packets by reason label (every reason, zeros included)
     * @param faults active faults by source; empty when healthy
     * @param virtualIps the configured virtual IPs as {@code ADDR/PREFIX} (on the interface while MASTER)
     * @param addressesRestored VIPs that something else removed while master and that it put back
     * @param mismatches senders whose adverts for this VRID are dropped because they are configured
     *     differently, active ones first; empty when none (and when read from an older daemon)
     * @param maintenance whether the operator put it in maintenance on this node (never MASTER until off)
     * @param masterSeen when the last advert from another router came (the master's, while one
     *     advertises), or null if none came since the daemon started
     * @param vmac with use-vmac, the macvlan holding the VIPs and its virtual MAC
     *     ("vrrp.51 00:00:5e:00:01:33"); null without (and when read from an older daemon)
     * @param tracking what each tracked item adds to the configured priority now, by item
     *     ("track-file load": -20, "track-interface eth1": -50); empty when nothing does
     * @param preemptAt while a backup's preempt-delay runs, when it ends; null otherwise
     */
    public record Instance(String name, String interfaceName, int vrid, int version, String state,
            int configuredPriority, int effectivePriority, String masterAddress, long advertIntervalMs,
            long masterAdvertIntervalMs, long transitions, LastTransition lastTransition, long advertsSent,
            long advertsReceived, Map<String, Long> drops, Map<String, String> faults, List<String> virtualIps,
            long addressesRestored, List<Mismatch> mismatches, boolean maintenance, String masterSeen,
            String vmac, Map<String, Integer> tracking, String preemptAt) {
        /** Copies the maps and the lists; a document of an older daemon without them has none. */
        public Instance {
            drops = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(drops));
            faults = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(faults));
            virtualIps = virtualIps == null ? List.of() : List.copyOf(virtualIps);
            mismatches = mismatches == null ? List.of() : List.copyOf(mismatches);
            tracking = tracking == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tracking));
        }
    }

    /**
     * A sender configured differently for an instance's VRID: while its adverts come, both are
     * likely master (we drop them, or for other addresses, a peer that checks drops ours).
     *
     * @param peer the sender's address
     * @param reason what differs: "version", "auth_type", "authentication", "interval",
     *     "not_unicast_peer" (its adverts are dropped, and counted under that drop reason) or
     *     "address_list" (accepted)
     * @param detail what differs, in words
     * @param count adverts from this sender that showed it
     * @param lastSeen when the last one came
     * @param active whether that was recent enough to make {@code /healthz} answer 503 (within 3
     *     Master_Down_Intervals at the slower of the two advert intervals)
     */
    public record Mismatch(String peer, String reason, String detail, long count, String lastSeen, boolean active) {
        /** One line for people: sender, reason, what differs, how many, when. */
        public String describe() {
            return peer + ": " + reason + " (" + detail + "), " + count + " adverts, last at " + lastSeen
                    + (active ? "; both may be master" : "");
        }
    }

    /**
     * A state change.
     *
     * @param from state before
     * @param to state after
     * @param reason the reason's label ("master_down", ...)
     * @param detail more words, possibly empty
     * @param at when it happened
     */
    public record LastTransition(String from, String to, String reason, String detail, String at) {
    }

    /**
     * One configured virtual server with the kernel's view of it.
     *
     * @param name entry name
     * @param identity {@code tcp 198.18.0.100:80} or {@code fwmark 7}
     * @param scheduler scheduler name
     * @param forwarding default forwarding method
     * @param inKernel whether the last kernel table had it
     * @param counters its traffic counters in the kernel; null when not in the kernel
     * @param realServers configured real servers in config order, then those the kernel still has
     *     after a reload removed them (draining at weight 0, health {@code removed})
     */
    public record VirtualServerStatus(String name, String identity, String scheduler, String forwarding,
            boolean inKernel, Counters counters, List<RealServerStatus> realServers) {
        /** Copies the list. */
        public VirtualServerStatus {
            realServers = List.copyOf(realServers);
        }
    }

    /**
     * One real server.
     *
     * @param address {@code ADDR:PORT}
     * @param health {@code up}, {@code down}, {@code unchecked} (no health check) or {@code removed}
     *     (no longer in the config, still in the kernel)
     * @param lastResult the last check's outcome, null when unchecked
     * @param since when the health last changed, null when unchecked
     * @param configuredWeight weight from the config; null when removed from it
     * @param kernelWeight weight in the kernel; null when the kernel does not have it
     * @param activeConnections active connections; null when not in the kernel
     * @param inactiveConnections inactive connections; null when not in the kernel
     * @param counters traffic counters; null when not in the kernel
     * @param admin the operator's runtime state on this node: {@code enabled}, {@code drained} or
     *     {@code disabled}; null when removed from the config (and from an older daemon)
     * @param weightOrigin {@code config}, or {@code runtime} while an operator's runtime weight
     *     replaces it; null when removed from the config
     * @param runtimeWeight the runtime weight; null when the config's applies
     * @param origin {@code config} for a backend of the file, {@code runtime} for one added with
     *     {@code vipkeeper backend add} (its configuredWeight is the weight it was added at); null when
     *     removed (and from an older daemon)
     * @param overloaded true while the engine gives it no new connections for being at its
     *     upper-threshold, false while under it; null when it has no threshold, is not in the kernel
     *     or the engine does not say (IPVS keeps the flag in the kernel and reports it nowhere)
     */
    public record RealServerStatus(String address, String health, String lastResult, String since,
            Integer configuredWeight, Integer kernelWeight, Long activeConnections, Long inactiveConnections,
            Counters counters, String admin, String weightOrigin, Integer runtimeWeight, String origin, Boolean overloaded) {
        /** A real server whose overload is not known. */
        public RealServerStatus(String address, String health, String lastResult, String since,
                Integer configuredWeight, Integer kernelWeight, Long activeConnections, Long inactiveConnections,
                Counters counters, String admin, String weightOrigin, Integer runtimeWeight, String origin) {
            this(address, health, lastResult, since, configuredWeight, kernelWeight, activeConnections, inactiveConnections,
                    counters, admin, weightOrigin, runtimeWeight, origin, null);
        }
    }

    /**
     * IPVS traffic counters.
     *
     * @param connections connections scheduled
     * @param inPackets packets in
     * @param outPackets packets out
     * @param inBytes bytes in
     * @param outBytes bytes out
     */
    public record Counters(long connections, long inPackets, long outPackets, long inBytes, long outBytes) {
    }

    /**
     * The engine that forwards the virtual servers.
     *
     * @param choice what the config asked for (auto, ipvs, nftables)
     * @param engine the engine running
     * @param reason why this engine
     */
    public record DataPlane(String choice, String engine, String reason) {
    }

    /**
     * The data plane manager (named ipvs in the JSON since before nftables; it keeps either engine).
     *
     * @param runs reconcile runs
     * @param changes changes made to the kernel
     * @param repairs changes that repaired drift
     * @param failures refused changes and failed runs
     * @param tableReadAt when the kernel table shown was read; null before the first read
     * @param lastError why the last run could not read or program the kernel (the table shown is
     *     then older than that run); null after a run that could
     */
    public record Ipvs(long runs, long changes, long repairs, long failures, String tableReadAt, String lastError) {
    }

    /**
     * What the host dropped on receive that no VRRP instance owns.
     *
     * @param drops by reason label (unknown VRID, packets too short to name one, ...), zeros included
     * @param receiveErrors datagrams the raw sockets could not read (runts, not IP, receive errors)
     * @param netlinkMalformed link and address events from the kernel that could not be parsed
     * @param routeRefusals virtual routes and rules the kernel refused to add
     */
    public record VrrpReceive(Map<String, Long> drops, long receiveErrors, long netlinkMalformed, long routeRefusals) {
        /** Copies the map. */
        public VrrpReceive {
            drops = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(drops));
        }
    }
}
