package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.appliance.realserver.Sysctl;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import io.vipkeeper.vrrp.linux.rtnl.Links;
import io.vipkeeper.vrrp.linux.rtnl.Macvlans;
import io.vipkeeper.vrrp.protocol.VirtualMac;
import java.net.Inet6Address;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The use-vmac links on Linux: creates each macvlan with its virtual MAC and the sysctls that
 * make it work (as keepalived's vrrp_vmac.c and vrrp_if_config.c), counts its users so that a
 * reload's successor and its predecessor share it, deletes it with its last user, and puts the
 * lower interface's ARP sysctls back when its last vmac goes. An IPv6 instance's vmac (MAC
 * 00:00:5e:00:02:VRID) is set up as keepalived 2.2.7 does it instead: IPv6 on, no address of its
 * own generated (addr_gen_mode none), the lower link's link-local added (nodad) as the source of
 * its adverts, and the lower link's sysctls left alone (ARP plays no part). Runs on the kernel
 * executor.
 */
final class VmacLinks {
    private static final Logger LOG = LoggerFactory.getLogger(VmacLinks.class);
    /** What the lower interface needs while a vmac holds the VIPs, and why. */
    private static final List<String> LOWER_KEYS = List.of(
            // Answer ARP only for addresses on the interface asked: the VIPs are on the vmac, which
            // answers with the virtual MAC; the lower link must not answer for them with its own.
            "arp_ignore",
            // Answer only where the route back leaves: not for the vmac's addresses.
            "arp_filter",
            // Name the lower link's own address in its ARP requests: a reply from a VIP routed out
            // of it asked "who has the client? tell VIP" with the lower link's MAC, and the client
            // took that MAC for the VIP (found in the lab; keepalived does not set this).
            "arp_announce");

    /** A vmac in use; {@code ipv6}: an IPv6 instance's, which changed nothing on the lower link. */
    private record Held(String lower, byte[] mac, boolean ipv6, int users) {
        Held withUsers(int n) {
            return new Held(lower, mac, ipv6, n);
        }
    }

    /** The lower interface's values before its first vmac, to restore. */
    private record Saved(Map<String, Integer> values, int vmacs) {
    }

    private final KernelExecutor kernel;
    private final Map<String, Held> held = new HashMap<>();
    private final Map<String, Saved> saved = new HashMap<>();

    VmacLinks(KernelExecutor kernel) {
        this.kernel = kernel;
    }

    /**
     * One more user of {@code vmac} on {@code lower} with {@code mac}: the first creates it (a
     * leftover link of that name with this MAC is replaced; one with another MAC is not ours and
     * refused), sets its sysctls before it goes up, then raises it.
     *
     * @param linkLocal an IPv6 instance's: the link-local address the vmac gets (the lower link's,
     *     as keepalived gives it), the source of the adverts sent through it; empty for IPv4
     * @throws IllegalStateException when the name is taken by another link or another lower link
     */
    synchronized void add(String lower, VrrpInstance.Vmac vmac, byte[] mac, Optional<Inet6Address> linkLocal) {
        Held h = held.get(vmac.name());
        if (h != null) {
            if (!h.lower().equals(lower) || !Arrays.equals(h.mac(), mac)) {
                throw new IllegalStateException("vmac " + vmac.name() + " is still in use on " + h.lower());
            }
            held.put(vmac.name(), h.withUsers(h.users() + 1));
            return;
        }
        String renamed = predecessorOf(vmac.name(), lower, mac);
        kernel.call(route -> {
            Links links = new Links(route);
            Macvlans macvlans = new Macvlans(route);
            LinkInfo base = links.byName(lower).orElseThrow(() -> new IllegalStateException(lower + " does not exist"));
            if (renamed != null) {
                // A reload renamed the vmac: one lower link cannot carry the virtual MAC twice
                // (EADDRINUSE), so the predecessor's link goes now and its VIPs with it, for the
                // successor's start. Its own remove later finds no link of that name: no-op.
                links.byName(renamed).filter(l -> Arrays.equals(l.mac(), mac)).ifPresent(l -> macvlans.delete(l.index()));
                LOG.info("{}: vmac renamed to {}: the old link goes now, before its instance's handover", renamed,
                        vmac.name());
            }
            Optional<LinkInfo> old = links.byName(vmac.name());
            Optional<Map<String, Integer>> leftBehind = Optional.empty();
            if (old.isPresent()) {
                if (!Arrays.equals(old.get().mac(), mac)) {
                    throw new IllegalStateException("a link named " + vmac.name() + " exists with MAC "
                            + VirtualMac.text(old.get().mac()) + ", not the virtual MAC " + VirtualMac.text(mac)
                            + ": not a vmac of ours; remove it or set vmac-name");
                }
                LOG.info("{}: replacing the vmac left behind (by a crash?)", vmac.name());
                leftBehind = VmacAlias.read(vmac.name(), lower);
                macvlans.delete(old.get().index());
            }
            macvlans.create(base.index(), vmac.name(), mac, vmac.mode());
            int index = links.byName(vmac.name()).orElseThrow(() ->
                    new IllegalStateException(vmac.name() + " vanished after its creation")).index();
            if (linkLocal.isPresent()) {
                configureIpv6(vmac.name());
            } else {
                configure(vmac.name(), lower, leftBehind);
            }
            macvlans.up(index);
            // After it is up (a link that goes up has its IPv6 state reset), with nodad: the address
            // is the lower link's, already checked there, and the adverts need it at once.
            linkLocal.ifPresent(a -> new InterfaceAddresses(route).add(index, a, 64, null));
            return null;
        });
        held.put(vmac.name(), new Held(lower, mac, linkLocal.isPresent(), 1));
        LOG.info("{}: vmac on {} with MAC {} ({})", vmac.name(), lower, VirtualMac.text(mac), vmac.mode().configName());
    }

    /** The held vmac of another name with {@code mac} on {@code lower} (a reload's predecessor), or null. */
    private String predecessorOf(String name, String lower, byte[] mac) {
        return held.entrySet().stream().filter(e -> !e.getKey().equals(name) && e.getValue().lower().equals(lower)
                && Arrays.equals(e.getValue().mac(), mac)).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Sysctls before the link goes up, so it never sends a frame it should not (see reference.conf). */
    private void configure(String name, String lower, Optional<Map<String, Integer>> leftBehind) {
        // Both nodes' vmacs carry the same MAC, so the same IPv6 link-local: DAD and router
        // solicitations from the backup's would teach the switch the MAC at the backup.
        Sysctl ipv6 = new Sysctl("net.ipv6.conf." + name.replace('.', '/') + ".disable_ipv6");
        if (ipv6.exists()) {
            ipv6.write(1);
        }
        // Answer ARP only for its own addresses (the VIPs), not for the lower link's.
        Sysctl.ipv4Conf(name, "arp_ignore").write(1);
        // Hear a peer's adverts sourced from an address of this host (two instances on one host).
        Sysctl.ipv4Conf(name, "accept_local").write(1);
        // Receive adverts from a source the vmac has no route back through.
        Sysctl.ipv4Conf(name, "rp_filter").write(0);
        Saved s = saved.get(lower);
        if (s == null) {
            Map<String, Integer> before = new HashMap<>();
            for (String key : LOWER_KEYS) {
                Sysctl k = Sysctl.ipv4Conf(lower, key);
                // A crashed run's vmac recorded what the lower link had before it changed them.
                before.put(key, leftBehind.map(v -> v.get(key)).orElseGet(k::read));
                k.write(key.equals("arp_announce") ? 2 : 1);
            }
            leftBehind.ifPresent(v -> LOG.info("{}: ARP sysctls to restore at stop taken from the vmac left behind: {}",
                    lower, before));
            saved.put(lower, new Saved(before, 1));
        } else {
            saved.put(lower, new Saved(s.values(), s.vmacs() + 1));
        }
        if (!VmacAlias.write(name, lower, saved.get(lower).values())) {
            LOG.warn("{}: could not record {}'s ARP sysctls in its alias; after a crash they stay as set", name, lower);
        }
    }

    /**
     * An IPv6 instance's vmac, before it goes up (keepalived 2.2.7's vrrp_vmac.c, checked on the
     * wire): IPv6 on, and no link-local of its own: the one the kernel would generate from the
     * virtual MAC is the same on both nodes, and RFC 5798 §5.1.2.1 sends the adverts from the
     * link-local of the interface, so it gets the lower link's after it is up.
     */
    private static void configureIpv6(String name) {
        ipv6Conf(name, "disable_ipv6").write(0);
        ipv6Conf(name, "addr_gen_mode").write(1);
        // Not in keepalived 2.2.7: no router solicitations and no addresses from router
        // advertisements. An address autoconfigured from the virtual MAC would be the same on both
        // nodes, and every frame the backup's vmac sends teaches the switch the virtual MAC there.
        ipv6Conf(name, "accept_ra").write(0);
        ipv6Conf(name, "autoconf").write(0);
        // Answer ARP only for its own addresses (keepalived sets this on an IPv6 vmac too since 2.3.0).
        Sysctl.ipv4Conf(name, "arp_ignore").write(1);
    }

    private static Sysctl ipv6Conf(String iface, String key) {
        return new Sysctl("net.ipv6.conf." + iface.replace('.', '/') + "." + key);
    }

    /** One user less of {@code name}; the last deletes the link and restores its lower interface. */
    synchronized void remove(String name) {
        Held h = held.get(name);
        if (h == null) {
            return;
        }
        if (h.users() > 1) {
            held.put(name, h.withUsers(h.users() - 1));
            return;
        }
        held.remove(name);
        kernel.call(route -> {
            new Links(route).byName(name).filter(l -> Arrays.equals(l.mac(), h.mac()))
                    .ifPresent(l -> new Macvlans(route).delete(l.index()));
            if (!h.ipv6()) {
                restore(h.lower());
            }
            return null;
        });
        LOG.info("{}: vmac deleted", name);
    }

    private void restore(String lower) {
        Saved s = saved.get(lower);
        if (s == null) {
            return;
        }
        if (s.vmacs() > 1) {
            saved.put(lower, new Saved(s.values(), s.vmacs() - 1));
            return;
        }
        saved.remove(lower);
        s.values().forEach((key, value) -> {
            Sysctl k = Sysctl.ipv4Conf(lower, key);
            if (k.exists()) {
                k.write(value);
            }
        });
    }

    /** Deletes every vmac still held (the daemon stops). */
    synchronized void removeAll() {
        for (String name : List.copyOf(held.keySet())) {
            held.put(name, held.get(name).withUsers(1));
            try {
                remove(name);
            } catch (RuntimeException e) {
                LOG.warn("{}: could not delete the vmac: {}", name, e.toString());
            }
        }
    }
}
