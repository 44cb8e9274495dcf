package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Firewall-mark services in the engine's layout (as IPVS's {@code fwmark} services): the
 * operator's own rule sets {@code meta mark} before dstnat, prerouting looks the mark up in the
 * family's {@code marks4}/{@code marks6} verdict map, and the service's chain DNATs whatever TCP,
 * UDP or SCTP packet carries it. A mark or multiport ({@link NftPorts}) service whose real servers
 * have no port of their own keeps the packet's port, as IPVS does with port 0: its slot maps hold
 * addresses only, and such real servers have no per-backend counts.
 */
final class NftFwmark {
    /** The protocols a marked packet may have: those with ports, which DNAT needs. */
    static final String PROTOCOLS = Arrays.stream(TransportProtocol.values()).map(TransportProtocol::configName)
            .collect(Collectors.joining(", ", "{ ", " }"));

    private NftFwmark() {
    }

    /** The chain of a firewall-mark service: {@code svc_fwm4_7}. */
    static String chain(ServiceKey key) {
        return "svc_fwm" + (key.ipv6() ? "6" : "4") + "_" + key.fwmark();
    }

    /** The family's verdict map of marks. */
    static String marks(boolean ipv6) {
        return ipv6 ? "marks6" : "marks4";
    }

    /** The prerouting rule that sends a marked packet of the family to its service's chain. */
    static String hookRule(boolean ipv6) {
        return "fib daddr type local meta nfproto " + (ipv6 ? "ipv6" : "ipv4") + " meta mark vmap @" + marks(ipv6);
    }

    /**
     * What the service's maps name the port by: {@code th} for a mark service (one map for all its
     * protocols; {@code tcp dport} there conflicts with the rule's protocol set), else its protocol.
     */
    static String portExpression(ServiceKey key) {
        return key.isFwmark() ? "th" : NftLayout.protocolName(key);
    }

    /** The rule's protocol match: the service's protocol, or every protocol with ports for a mark. */
    static String protocolMatch(ServiceKey key) {
        return key.isFwmark() ? PROTOCOLS : NftLayout.protocolName(key);
    }

    /**
     * Whether DNAT keeps the packet's port: a mark service whose real servers all have port 0. (A
     * mix of both is refused: one map gives address . port or address, not either.)
     */
    static boolean portless(DesiredService svc) {
        return keepsPorts(svc.spec().key()) && !svc.dests().isEmpty()
                && svc.dests().keySet().stream().allMatch(b -> b.port() == 0);
    }

    /**
     * Whether the service's slot map is deleted and declared again whenever it is written: nft
     * 1.0.6 misreads a {@code th dport} map it loads from the kernel ("conflicting protocols
     * specified: tcp vs. th"), so a rule naming it parses only beside the map's new definition.
     */
    static boolean recreated(DesiredService svc) {
        return svc.spec().key().isFwmark() && !portless(svc);
    }

    /** Why {@code dest} cannot join {@code svc} (null: it can): its port and the others' differ in kind. */
    static String mixedPorts(DesiredService svc, BackendSpec dest) {
        return mixedPorts(svc.spec().key(), svc.dests().keySet(), dest);
    }

    /** Why {@code dest} cannot join {@code service}, which has {@code dests} (null: it can): its port and the others' differ in kind. */
    static String mixedPorts(ServiceKey service, Set<BackendKey> dests, BackendSpec dest) {
        if (!keepsPorts(service)) {
            return null;
        }
        boolean mixed = dests.stream().filter(b -> !b.equals(dest.key()))
                .anyMatch(b -> (b.port() == 0) != (dest.key().port() == 0));
        return mixed ? "nftables needs all or none of a firewall-mark or multiport service's real servers to have a port" : null;
    }

    /** Whether the service's real servers may have no port (port 0: the packet's): mark and multiport services. */
    static boolean keepsPorts(ServiceKey key) {
        return key.isFwmark() || key.hasPorts();
    }

    /** The interval slot map of an address-only service's rr, wrr and sh before every scheduler used {@link #addressSlots}. */
    static String legacyAddressSlots(ServiceKey key) {
        return NftLayout.chain(key) + "_sa";
    }

    /** The slot map of an address-only (portless) service, slot : address. */
    static String addressSlots(ServiceKey key) {
        return NftLayout.chain(key) + "_ma";
    }

    /** The slot map {@code svc} uses. */
    static String slotMap(DesiredService svc) {
        ServiceKey key = svc.spec().key();
        return portless(svc) ? addressSlots(key) : NftLayout.slotMap(key);
    }

    /** The interval maps of earlier versions a service may still have; a rewrite deletes them. */
    static List<String> legacySlotMaps(ServiceKey key) {
        return keepsPorts(key) ? List.of(NftLayout.legacySlots(key), legacyAddressSlots(key)) : List.of(NftLayout.legacySlots(key));
    }

    /** Every plain slot map a service may have; those it does not use are deleted when it is written. */
    static List<String> slotMaps(ServiceKey key) {
        return keepsPorts(key) ? List.of(NftLayout.slotMap(key), addressSlots(key)) : List.of(NftLayout.slotMap(key));
    }

    /** A slot's value: address . port, or the address alone for a portless service. */
    static String target(BackendKey b, boolean portless) {
        String address = io.netty.util.NetUtil.toAddressString(b.address());
        return portless ? address : address + " . " + b.port();
    }
}
