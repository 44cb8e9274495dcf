package io.vipkeeper.appliance.vrrp;

import io.netty.channel.IoEventLoop;
import io.vipkeeper.appliance.config.VirtualAddress;
import io.vipkeeper.appliance.config.VirtualRoute;
import io.vipkeeper.appliance.config.VirtualRule;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.vrrp.fsm.AddressLedger;
import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import io.vipkeeper.vrrp.linux.Announcer;
import io.vipkeeper.vrrp.linux.LinuxAddressOwner;
import io.vipkeeper.vrrp.linux.LinuxAhTransport;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.LinuxVrrpTransport;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddress;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import io.vipkeeper.vrrp.linux.rtnl.LinkMonitor;
import io.vipkeeper.vrrp.linux.rtnl.Links;
import io.vipkeeper.vrrp.linux.rtnl.RouteEntry;
import io.vipkeeper.vrrp.linux.rtnl.RouteMonitor;
import io.vipkeeper.vrrp.linux.rtnl.Routing;
import io.vipkeeper.vrrp.linux.rtnl.RuleEntry;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VrrpPlatform} on Linux: raw sockets and VIP adds/removes (its own rtnetlink socket, see
 * {@link LinuxAddressOwner}) on the VRRP loop, other rtnetlink requests on the kernel executor,
 * link events from a {@link LinkMonitor}. Configured VIPs never count as an interface's primary
 * address (after a crash they may still be on it).
 */
public final class LinuxPlatform implements VrrpPlatform, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxPlatform.class);
    /** A cap only: the kernel queues an address request's ACK before sendmsg returns. */
    private static final long VIP_ACK_TIMEOUT_MILLIS = 100;

    private final IoEventLoop loop;
    private final VrrpScheduler scheduler;
    private final KernelExecutor kernel;
    private volatile Set<InetAddress> allVips;
    /** Which owner claimed each VIP last: a release leaves what a successor claimed. */
    private final AddressLedger ledger = new AddressLedger();
    /** By ifindex: an interface deleted and created again gets a new index and a new announcer. */
    private final Map<Integer, Announcer> announcers = new HashMap<>();
    private final List<LinkMonitor> monitors = new ArrayList<>();
    /** VIP adds and removes, on the VRRP loop only. */
    private final NetlinkSocket vipRoute = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, VIP_ACK_TIMEOUT_MILLIS);
    private final VmacLinks vmacs;
    /** Virtual routes and rules: last claimer of each, owners holding theirs (VRRP loop only). */
    private final Map<Object, Object> routeLedger = new HashMap<>();
    private final Set<VirtualRouteOwner> routeHolders = new java.util.LinkedHashSet<>();
    /** Routes known to be in the kernel as ours (VirtualRouteOwner; VRRP loop only). */
    private final Set<Object> routesOurs = new java.util.HashSet<>();
    private final java.util.concurrent.atomic.AtomicLong routeRefusals = new java.util.concurrent.atomic.AtomicLong();
    /** Started with the first instance that has virtual routes or rules. */
    private RouteMonitor routeMonitor;

    /** A platform whose VIPs are {@code allVips} (excluded from primary address choice). */
    public LinuxPlatform(IoEventLoop loop, VrrpScheduler scheduler, KernelExecutor kernel, Set<InetAddress> allVips) {
        this.loop = loop;
        this.scheduler = scheduler;
        this.kernel = kernel;
        this.allVips = Set.copyOf(allVips);
        this.vmacs = new VmacLinks(kernel);
    }

    @Override
    public void addVmac(String lower, VrrpInstance.Vmac vmac, byte[] mac, Optional<java.net.Inet6Address> linkLocal) {
        vmacs.add(lower, vmac, mac, linkLocal);
    }

    @Override
    public void removeVmac(String name) {
        vmacs.remove(name);
    }

    @Override
    public Optional<InterfaceInfo> lookup(String name, boolean ipv6) {
        return kernel.call(route -> {
            Optional<LinkInfo> link = new Links(route).byName(name);
            if (link.isEmpty()) {
                return Optional.empty();
            }
            List<InetAddress> family = new InterfaceAddresses(route).list(link.get().index()).stream()
                    .map(InterfaceAddress::address).filter(a -> (a instanceof Inet6Address) == ipv6).toList();
            Optional<InetAddress> primary = family.stream()
                    .filter(a -> ipv6 ? a.isLinkLocalAddress() : !allVips.contains(a))
                    .findFirst();
            return Optional.of(new InterfaceInfo(name, link.get().index(), primary, link.get().usable(), family));
        });
    }

    @Override
    public VrrpTransport openTransport(String ifname, boolean ipv6, InetAddress source, boolean joinGroup,
            Optional<byte[]> ahKey) {
        if (ahKey.isPresent()) {
            return LinuxAhTransport.open(loop, ifname, (java.net.Inet4Address) source, joinGroup, ahKey.get());
        }
        return LinuxVrrpTransport.open(loop, ifname, source, joinGroup);
    }

    @Override
    public AddressOwner addressOwner(String ifname, List<VirtualAddress> addresses, VrrpInstance.Garp garp,
            VrrpScheduler unused) {
        // One owner per interface (keepalived's "dev"), each announcing from its own link.
        Map<String, List<LinuxAddressOwner.Vip>> byInterface = new java.util.LinkedHashMap<>();
        for (VirtualAddress a : addresses) {
            byInterface.computeIfAbsent(a.interfaceOr(ifname), k -> new ArrayList<>()).add(new LinuxAddressOwner.Vip(
                    a.prefix().address(), a.prefix().prefixLength(), a.label().orElse(null), a.scope().value(),
                    a.broadcast().orElse(null)));
        }
        List<AddressOwner> owners = new ArrayList<>();
        byInterface.forEach((name, vips) -> owners.add(owner(name, vips, garp)));
        return owners.size() == 1 ? owners.get(0) : new AddressOwners(owners);
    }

    private AddressOwner owner(String ifname, List<LinuxAddressOwner.Vip> vips, VrrpInstance.Garp garp) {
        LinkInfo link = kernel.call(route -> new Links(route).byName(ifname)).orElseThrow(() ->
                new IllegalStateException("there is no interface " + ifname + " for " + vips.stream()
                        .map(v -> v.address().getHostAddress()).collect(java.util.stream.Collectors.joining(", "))));
        Announcer announcer = announcers.computeIfAbsent(link.index(), n -> Announcer.open(link.index(), link.mac()));
        boolean router = forwarding(ifname);
        return new LinuxAddressOwner(ifname, link.index(), vips, new InterfaceAddresses(vipRoute), announcer, scheduler,
                garp.masterRepeat(), garp.masterDelay(), garp.masterRefresh(), router, ledger);
    }

    @Override
    public Optional<AddressOwner> routeOwner(String instance, List<VirtualRoute> routes, List<VirtualRule> rules) {
        if (routes.isEmpty() && rules.isEmpty()) {
            return Optional.empty();
        }
        List<VirtualRouteOwner.Entry> entries = new ArrayList<>();
        for (VirtualRoute r : routes) {
            int oif = r.interfaceName().map(name -> kernel.call(route -> new Links(route).byName(name))
                    .orElseThrow(() -> new IllegalStateException("there is no interface " + name + " for the route "
                            + r)).index()).orElse(0);
            RouteEntry e = KernelRoutes.route(r, oif);
            entries.add(new VirtualRouteOwner.Entry(e, Routing.route(e, true), Routing.route(e, false)));
        }
        for (VirtualRule r : rules) {
            RuleEntry e = KernelRoutes.rule(r);
            entries.add(new VirtualRouteOwner.Entry(e, Routing.rule(e, true), Routing.rule(e, false)));
        }
        synchronized (this) {
            if (routeMonitor == null) {
                // Deletions anywhere: every master puts back what of its own is missing; a route
                // replaced in place: a master whose route it was counts it taken.
                routeMonitor = RouteMonitor.start(() -> scheduler.execute(this::repairRoutes),
                        events -> scheduler.execute(() -> List.copyOf(routeHolders).forEach(o -> o.replaced(events))));
            }
        }
        return Optional.of(new VirtualRouteOwner(instance, entries, new Routing(vipRoute), scheduler, routeLedger,
                routeHolders, routesOurs, routeRefusals));
    }

    /** Every master puts back what of its virtual routes and rules is missing (on the VRRP loop). */
    private void repairRoutes() {
        List.copyOf(routeHolders).forEach(VirtualRouteOwner::repair);
    }

    @Override
    public long routeRefusals() {
        return routeRefusals.get();
    }

    private static boolean forwarding(String ifname) {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/conf", ifname, "forwarding")).trim().equals("1");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void watchLinks(BiConsumer<String, Boolean> onChange, Runnable onAddresses,
            BiConsumer<InetAddress, Integer> onVipRemoved, VipAdded onVipAdded) {
        Map<Integer, Boolean> last = new java.util.concurrent.ConcurrentHashMap<>();
        monitors.add(LinkMonitor.start(info -> {
            Boolean before = last.put(info.index(), info.usable());
            if (before == null || before != info.usable()) {
                LOG.info("link {} is {}", info.name(), info.usable() ? "up" : "down");
                scheduler.execute(() -> onChange.accept(info.name(), info.usable()));
                if (info.usable()) {
                    // A route through a link that went down went with it, silently, and could not
                    // be put back while it was down (ENETDOWN): every master puts its own back now.
                    scheduler.execute(this::repairRoutes);
                }
            }
        }, ifindex -> scheduler.execute(() -> {
            onAddresses.run();
            repairRoutes(); // a route's src or gateway may need the address that just came
        }), a -> !allVips.contains(a),
                (vip, added) -> {
                    if (!added) {
                        scheduler.execute(() -> onVipRemoved.accept(vip.address(), vip.prefixLength()));
                    } else if (!LinuxAddressOwner.isOwnLabel(vip.label())) {
                        // Not one of ours (they carry our label): someone else's, on which interface?
                        kernel.call(route -> new Links(route).all()).stream().filter(l -> l.index() == vip.ifindex())
                                .findFirst().ifPresent(l -> scheduler.execute(() -> onVipAdded.added(l.name(), vip.address())));
                    }
                }));
    }

    @Override
    public long malformedEvents() {
        return monitors.stream().mapToLong(LinkMonitor::malformed).sum();
    }

    @Override
    public void setVips(Set<InetAddress> vips) {
        allVips = Set.copyOf(vips);
    }

    @Override
    public void close() {
        vmacs.removeAll();
        monitors.forEach(LinkMonitor::close);
        synchronized (this) {
            if (routeMonitor != null) {
                routeMonitor.close();
            }
        }
        announcers.values().forEach(Announcer::close);
        vipRoute.close();
    }
}
