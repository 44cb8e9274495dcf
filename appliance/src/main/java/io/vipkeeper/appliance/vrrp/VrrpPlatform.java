package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VirtualAddress;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The host side the VRRP service needs: Linux (raw sockets, rtnetlink, GARP) in the daemon, an
 * in-memory segment in unit tests. Every callback arrives on the VRRP event loop.
 */
public interface VrrpPlatform {

    /**
     * What the service needs to know about an interface.
     *
     * @param name interface name
     * @param index kernel ifindex
     * @param primary the interface's primary address of the family asked for (IPv6: link-local)
     * @param usable whether the link is up and running
     * @param addresses every address of that family on the interface (VIPs included)
     */
    record InterfaceInfo(String name, int index, Optional<InetAddress> primary, boolean usable,
            List<InetAddress> addresses) {
    }

    /** The interface, or empty if there is none of that name. */
    Optional<InterfaceInfo> lookup(String name, boolean ipv6);

    /**
     * Opens a transport on {@code ifname} sending from {@code source}, joined to the VRRP group if
     * {@code joinGroup} (unicast peers otherwise). {@code ahKey} non-empty means VRRPv2 IPsec-AH.
     */
    VrrpTransport openTransport(String ifname, boolean ipv6, InetAddress source, boolean joinGroup,
            Optional<byte[]> ahKey);

    /**
     * Owns {@code addresses}, each on its own interface or else on {@code ifname}: adds/removes them
     * and announces them per {@code garp} from the interface each is on.
     */
    AddressOwner addressOwner(String ifname, List<VirtualAddress> addresses, VrrpInstance.Garp garp,
            VrrpScheduler scheduler);

    /**
     * Owns the virtual routes and rules of instance {@code instance} (installed after the addresses
     * on a claim, removed before them on a release); empty when there are none or the platform has
     * no kernel routes (the in-memory one).
     */
    default Optional<AddressOwner> routeOwner(String instance, List<io.vipkeeper.appliance.config.VirtualRoute> routes,
            List<io.vipkeeper.appliance.config.VirtualRule> rules) {
        return Optional.empty();
    }

    /** Virtual routes and rules the kernel refused, since start. */
    default long routeRefusals() {
        return 0;
    }

    /**
     * Calls {@code onChange(ifname, usable)} for every later change of a link's usability (a link
     * that appears or is deleted included), {@code onAddresses} after an address other than a
     * VIP was added to or removed from any interface, and {@code onVipRemoved} with each VIP
     * removed from any interface (by vipkeeper itself too: the service tells them apart), and
     * {@code onVipAdded} with each VIP added by anything but vipkeeper. All on the scheduler's thread.
     */
    void watchLinks(BiConsumer<String, Boolean> onChange, Runnable onAddresses,
            java.util.function.BiConsumer<InetAddress, Integer> onVipRemoved, VipAdded onVipAdded);

    /** Told of a VIP that something other than vipkeeper added to an interface. */
    @FunctionalInterface
    interface VipAdded {
        /** {@code address} appeared on {@code ifname}. */
        void added(String ifname, InetAddress address);
    }

    /**
     * One more user of {@code vmac} on {@code lower} with {@code mac} (use-vmac): the first
     * creates the link; it exists when this returns. {@code linkLocal}: an IPv6 instance's, the
     * address the vmac gets for its adverts (the lower link's link-local); empty for IPv4.
     */
    default void addVmac(String lower, VrrpInstance.Vmac vmac, byte[] mac, Optional<java.net.Inet6Address> linkLocal) {
    }

    /** One user less of vmac {@code name}; the last deletes it. */
    default void removeVmac(String name) {
    }

    /** Every configured VIP, after each start or reload: never an interface's primary address. */
    default void setVips(java.util.Set<InetAddress> vips) {
    }

    /** Link and address events that could not be parsed. */
    default long malformedEvents() {
        return 0;
    }
}
