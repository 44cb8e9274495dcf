package io.vipkeeper.appliance.config;

import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One VRRP virtual router: an entry of {@code vrrp.instances}.
 *
 * @param name the entry's name, used in logs, status and notify scripts
 * @param interfaceName where adverts are sent and the virtual IPs are put
 * @param virtualRouterId VRID 1..255, unique per interface and address family
 * @param priority 1..255; 255 means this host owns the addresses
 * @param version VRRP version
 * @param advertInterval Advertisement_Interval
 * @param preempt whether a higher priority takes over from a lower master
 * @param preemptDelay how long to wait after start before preempting
 * @param virtualIps the addresses this router owns, all of one family
 * @param unicastPeers non-empty: send adverts to these instead of the multicast group
 * @param unicastSource the source address of unicast adverts, if not the interface's
 * @param unicastMinTtl the lowest IP TTL / hop limit accepted on adverts from unicast peers (255
 *     unless they are routers away); adverts from any other address are dropped
 * @param authentication how adverts are authenticated
 * @param trackInterfaces interfaces whose state changes the priority (or faults the instance)
 * @param trackScripts names of {@code vrrp.scripts} whose result changes the priority
 * @param garp gratuitous ARP / unsolicited NA on becoming master
 * @param notifyScript run as SCRIPT INSTANCE NAME STATE PRIORITY on every transition
 * @param vmac the macvlan with the virtual MAC that holds the VIPs (keepalived's use_vmac), if used
 * @param trackFiles names of {@code vrrp.track-files} whose values change the priority
 * @param trackProcesses names of {@code vrrp.track-processes} whose state changes the priority
 * @param notifies the per-state notify programs and whether notify-script hears priority changes
 * @param addresses every address put on an interface while MASTER: the virtual IPs (in that order)
 *     with their options, then the excluded addresses
 * @param routes routes installed while MASTER, after the addresses (keepalived's virtual_routes)
 * @param rules policy rules installed while MASTER, after the routes (keepalived's virtual_rules)
 */
public record VrrpInstance(
        String name,
        String interfaceName,
        int virtualRouterId,
        int priority,
        VrrpVersion version,
        Duration advertInterval,
        boolean preempt,
        Duration preemptDelay,
        List<IpPrefix> virtualIps,
        List<InetAddress> unicastPeers,
        Optional<InetAddress> unicastSource,
        int unicastMinTtl,
        Authentication authentication,
        List<TrackedInterface> trackInterfaces,
        List<String> trackScripts,
        Garp garp,
        Optional<Program> notifyScript,
        Optional<Vmac> vmac,
        List<String> trackFiles,
        List<String> trackProcesses,
        Notifies notifies,
        List<VirtualAddress> addresses,
        List<VirtualRoute> routes,
        List<VirtualRule> rules) {

    /** Whether the virtual IPs are IPv6. */
    public boolean isIpv6() {
        return !virtualIps.isEmpty() && virtualIps.get(0).isIpv6();
    }

    /**
     * Advert authentication.
     *
     * @param type the method
     * @param secret the password (pass, ah) or the single {@code key} as written (hmac-sha256); empty for none
     * @param hmac the keys, mode and anti-replay of hmac-sha256; null for the other types
     */
    public record Authentication(AuthType type, String secret, HmacConfig hmac) {
        /** Authentication by another type than hmac-sha256. */
        public Authentication(AuthType type, String secret) {
            this(type, secret, null);
        }

        @Override
        public String toString() {
            return "Authentication[" + type.configName() + "]";
        }
    }

    /**
     * An interface watched by the instance.
     *
     * @param name interface name
     * @param weight added to the priority while the interface is down; 0 means down = FAULT
     */
    public record TrackedInterface(String name, int weight) {
    }

    /**
     * Gratuitous ARP / unsolicited neighbour advertisements sent as master.
     *
     * @param masterDelay delay before the second burst after becoming master
     * @param masterRepeat how many to send in each burst
     * @param masterRefresh interval of periodic refreshes while master; zero disables
     */
    public record Garp(Duration masterDelay, int masterRepeat, Duration masterRefresh) {
    }

    /**
     * A macvlan with the VRRP virtual MAC (00:00:5e:00:01:VRID) on the instance's interface: it
     * holds the VIPs while master and sends the adverts, so clients see one MAC whichever node is
     * master and a failover needs no ARP cache update (keepalived's use_vmac).
     *
     * @param name the link's name (keepalived's default vrrp.VRID)
     * @param mode the macvlan mode
     */
    public record Vmac(String name, io.vipkeeper.vrrp.linux.rtnl.MacvlanMode mode) {
        /** As a reload's summary names it: {@code vrrp.51 (private)}. */
        @Override
        public String toString() {
            return name + " (" + mode.configName() + ")";
        }
    }

    /**
     * keepalived's notify_master, notify_backup, notify_fault and notify_stop (run without
     * arguments, before notify-script, as notify-user within notify-timeout) and its
     * notify_priority_changes.
     *
     * @param master run on becoming MASTER
     * @param backup run on becoming BACKUP
     * @param fault run on entering FAULT
     * @param stop run when the instance stops
     * @param priorityChanges notify-script also runs (with the current state) when the effective
     *     priority changes
     */
    public record Notifies(Optional<Program> master, Optional<Program> backup, Optional<Program> fault,
            Optional<Program> stop, boolean priorityChanges) {
        /** No per-state program, no priority notices. */
        public static final Notifies NONE = new Notifies(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false);

        /** Whether any per-state program is set. */
        public boolean any() {
            return master.isPresent() || backup.isPresent() || fault.isPresent() || stop.isPresent();
        }
    }
}
