package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import io.vipkeeper.vrrp.protocol.VirtualMac;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds instances to their interfaces: opens the endpoints (shared per {@link VrrpEndpoint.Key}),
 * closes them when their last instance let go. An instance whose interface does not exist or has
 * no address of its family stays unbound (in Fault) until {@link #connect} succeeds, as keepalived
 * keeps such an instance in FAULT until the interface appears.
 */
final class VrrpEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpEndpoints.class);

    private final VrrpPlatform platform;
    private final VrrpScheduler scheduler;
    private final Map<VrrpEndpoint.Key, VrrpEndpoint> open = new HashMap<>();
    /** Drops no router owns, on every endpoint this host had. */
    private final io.vipkeeper.vrrp.fsm.RouterCounters unattributed = new io.vipkeeper.vrrp.fsm.RouterCounters();
    /** The vmac each bound instance holds a use of (use-vmac). */
    private final Map<VrrpInstanceRuntime, String> vmacs = new java.util.IdentityHashMap<>();
    /** Receive errors of the endpoints closed so far. */
    private long closedReceiveErrors;

    VrrpEndpoints(VrrpPlatform platform, VrrpScheduler scheduler) {
        this.platform = platform;
        this.scheduler = scheduler;
    }

    /**
     * Binds {@code rt} if it is not bound and can be, unbinds it if its interface is gone, and
     * returns its own-interface fault: null when bound and the link is usable, else why not
     * ("eth1 does not exist", "eth1 has no IPv4 address", "eth1 lost its address 198.18.2.1",
     * "eth1 is down"). A bound instance whose source address was removed is moved to the
     * interface's new primary address, but only once it is in Fault (its VIPs released through
     * the owner it is bound to): call again after applying a fault. Throws what opening the socket
     * or the address owner threw (nothing is bound then).
     */
    String connect(VrrpInstanceRuntime rt) {
        VrrpInstance i = rt.settings;
        Optional<VrrpPlatform.InterfaceInfo> info = platform.lookup(i.interfaceName(), i.isIpv6());
        if (info.isEmpty()) {
            release(rt, CompletableFuture.completedFuture(null));
            return i.interfaceName() + " does not exist";
        }
        Optional<InetAddress> source = i.unicastSource().or(() -> info.get().primary());
        Optional<InetAddress> bound = rt.endpoint().map(e -> e.transport.sourceAddress());
        if (bound.isPresent() && !info.get().addresses().contains(bound.get())) {
            if (rt.router.state() != RouterState.FAULT || source.isEmpty()
                    || !info.get().addresses().contains(source.get())) {
                return i.interfaceName() + " lost its address " + bound.get().getHostAddress();
            }
            LOG.info("{}: {} lost {}, sending from {} now", i.name(), i.interfaceName(),
                    bound.get().getHostAddress(), source.get().getHostAddress());
            release(rt, CompletableFuture.completedFuture(null));
        }
        if (rt.endpoint().isEmpty()) {
            if (source.isEmpty()) {
                return i.interfaceName() + " has no " + (i.isIpv6() ? "IPv6 link-local" : "IPv4") + " address";
            }
            bind(rt, source.get(), info.get().primary());
        }
        return info.get().usable() ? null : i.interfaceName() + " is down";
    }

    /** {@code primary}: the interface's own address of the family (for IPv6 its link-local). */
    private void bind(VrrpInstanceRuntime rt, InetAddress source, Optional<InetAddress> primary) {
        VrrpInstance i = rt.settings;
        Optional<byte[]> ahKey = RouterConfigs.ahKey(i);
        // With use-vmac the VIPs live on the vmac, and multicast adverts go and come through it
        // too: a peer's advert carries the same virtual MAC as source, and a private macvlan takes
        // such a frame for itself (the lower link never sees it). Unicast adverts come to the
        // lower link's MAC, so they stay there.
        String ownerIf = i.vmac().map(VrrpInstance.Vmac::name).orElse(i.interfaceName());
        String transportIf = i.unicastPeers().isEmpty() ? ownerIf : i.interfaceName();
        // An IPv6 vmac gets the interface's link-local (keepalived's choice): the kernel sends the
        // adverts from it, as RFC 5798 §5.1.2.1 asks, and not from a VIP.
        Optional<Inet6Address> linkLocal = i.isIpv6()
                ? primary.filter(Inet6Address.class::isInstance).map(Inet6Address.class::cast) : Optional.empty();
        if (i.vmac().isPresent() && i.isIpv6() && linkLocal.isEmpty()) {
            throw new IllegalStateException(i.interfaceName() + " has no IPv6 link-local address for vmac "
                    + i.vmac().get().name());
        }
        i.vmac().ifPresent(v -> platform.addVmac(i.interfaceName(), v, VirtualMac.of(i.virtualRouterId(), i.isIpv6()),
                linkLocal));
        VrrpEndpoint.Key key = new VrrpEndpoint.Key(transportIf, i.isIpv6(), source,
                i.unicastPeers().isEmpty(), ahKey.map(k -> new String(k, StandardCharsets.ISO_8859_1)).orElse(""));
        VrrpEndpoint endpoint = open.get(key);
        AddressOwner owner;
        try {
            if (endpoint == null) {
                endpoint = new VrrpEndpoint(platform.openTransport(key.ifname(), key.ipv6(), key.source(),
                        key.joinGroup(), ahKey), unattributed);
                open.put(key, endpoint);
            }
            owner = platform.addressOwner(ownerIf, i.addresses(), i.garp(), scheduler);
            Optional<AddressOwner> routes = platform.routeOwner(i.name(), i.routes(), i.rules());
            if (routes.isPresent()) {
                owner = new AddressOwners(List.of(owner, routes.get()));
            }
        } catch (RuntimeException e) {
            if (endpoint != null && endpoint.users == 0) {
                open.remove(key);
                endpoint.transport.close();
            }
            i.vmac().ifPresent(v -> platform.removeVmac(v.name()));
            throw e;
        }
        i.vmac().ifPresent(v -> vmacs.put(rt, v.name()));
        endpoint.users++;
        rt.bind(endpoint, owner);
        LOG.debug("{}: bound to {} from {}", i.name(), ownerIf, source.getHostAddress());
    }

    /**
     * Unbinds {@code rt} once {@code stopped} completes (a stopping master still needs its endpoint
     * for the handover); the endpoint closes then if no other instance uses it.
     */
    void release(VrrpInstanceRuntime rt, CompletableFuture<?> stopped) {
        Optional<VrrpEndpoint> bound = rt.endpoint();
        if (bound.isEmpty()) {
            return;
        }
        VrrpEndpoint e = bound.get();
        boolean last = --e.users == 0;
        if (last) {
            open.values().remove(e);
        }
        String vmac = vmacs.remove(rt);
        stopped.whenComplete((ok, error) -> {
            rt.unbind();
            if (last) {
                closedReceiveErrors += e.transport.receiveErrors();
                e.transport.close();
            }
            if (vmac != null) {
                platform.removeVmac(vmac);
            }
        });
    }

    /** Unattributed drops by reason, and receive errors, of every endpoint so far (on the loop). */
    io.vipkeeper.vrrp.fsm.ReceiveCounters counters(long netlinkMalformed, long routeRefusals) {
        long errors = closedReceiveErrors + open.values().stream().mapToLong(e -> e.transport.receiveErrors()).sum();
        return new io.vipkeeper.vrrp.fsm.ReceiveCounters(unattributed.drops(), errors, netlinkMalformed, routeRefusals);
    }

    /** Closes every endpoint once {@code stopped} completes (every master handed over). */
    CompletableFuture<Void> closeAll(CompletableFuture<Void> stopped) {
        List<VrrpEndpoint> closing = new ArrayList<>(open.values());
        List<String> held = new ArrayList<>(vmacs.values());
        open.clear();
        vmacs.clear();
        return stopped.whenComplete((ok, error) -> {
            closing.forEach(e -> e.transport.close());
            held.forEach(platform::removeVmac);
        });
    }
}
