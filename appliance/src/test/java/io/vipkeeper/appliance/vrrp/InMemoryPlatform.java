package io.vipkeeper.appliance.vrrp;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.config.IpPrefix;
import io.vipkeeper.appliance.config.VirtualAddress;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.vrrp.fsm.AddressLedger;
import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import io.vipkeeper.vrrp.transport.InMemoryNetwork;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One host's {@link VrrpPlatform} on an in-memory segment: interface eth0 with one address, eth1
 * without. Links can be deleted and created and addresses added and removed, each reported as
 * rtnetlink would.
 */
final class InMemoryPlatform implements VrrpPlatform {
    private final String host;
    private final InMemoryNetwork network;
    private final Map<String, Boolean> links = new HashMap<>();
    /** IPv4 address by interface. */
    private final Map<String, InetAddress> addresses = new HashMap<>();
    /** VIP -> host names holding it, shared by every host of the segment. */
    private final Map<InetAddress, Set<String>> holders;
    private BiConsumer<String, Boolean> watcher = (i, u) -> { };
    private Runnable addressWatcher = () -> { };
    private java.util.function.BiConsumer<InetAddress, Integer> vipWatcher = (a, p) -> { };
    /** The prefix each VIP was last claimed with, as the kernel would show it. */
    private final Map<InetAddress, Integer> prefixes = new ConcurrentHashMap<>();
    private final AddressLedger ledger = new AddressLedger();
    int transportsOpened;

    InMemoryPlatform(String host, InMemoryNetwork network, String address, Map<InetAddress, Set<String>> holders) {
        this.host = host;
        this.network = network;
        this.holders = holders;
        links.put("eth0", true);
        links.put("eth1", true);
        addresses.put("eth0", NetUtil.createInetAddressFromIpAddressString(address));
    }

    @Override
    public Optional<InterfaceInfo> lookup(String name, boolean ipv6) {
        if (!links.containsKey(name)) {
            return Optional.empty();
        }
        Optional<InetAddress> address = ipv6 ? Optional.empty() : Optional.ofNullable(addresses.get(name));
        return Optional.of(new InterfaceInfo(name, 2, address, links.get(name), address.stream().toList()));
    }

    @Override
    public VrrpTransport openTransport(String ifname, boolean ipv6, InetAddress source, boolean joinGroup,
            Optional<byte[]> ahKey) {
        transportsOpened++;
        return network.attach(source);
    }

    @Override
    public AddressOwner addressOwner(String ifname, List<VirtualAddress> addresses, VrrpInstance.Garp garp,
            VrrpScheduler scheduler) {
        List<IpPrefix> vips = addresses.stream().map(VirtualAddress::prefix).toList();
        return new AddressOwner() {
            @Override
            public void claim() {
                vips.forEach(v -> {
                    ledger.claimed(this, ifname, v.address());
                    prefixes.put(v.address(), v.prefixLength());
                    holders.computeIfAbsent(v.address(), k -> ConcurrentHashMap.newKeySet()).add(host);
                });
            }

            @Override
            public void release() {
                vips.stream().filter(v -> ledger.mayRelease(this, ifname, v.address())).forEach(v -> {
                    holders.computeIfAbsent(v.address(), k -> ConcurrentHashMap.newKeySet()).remove(host);
                    vipWatcher.accept(v.address(), v.prefixLength()); // rtnetlink reports our own removals too
                });
            }
        };
    }

    @Override
    public void watchLinks(BiConsumer<String, Boolean> onChange, Runnable onAddresses,
            java.util.function.BiConsumer<InetAddress, Integer> onVipRemoved, VipAdded onVipAdded) {
        this.watcher = onChange;
        this.addressWatcher = onAddresses;
        this.vipWatcher = onVipRemoved;
    }

    /** Someone else removes a VIP from this host (ip addr del), reported as rtnetlink would. */
    void removeVipByHand(InetAddress vip) {
        holders.computeIfAbsent(vip, k -> ConcurrentHashMap.newKeySet()).remove(host);
        vipWatcher.accept(vip, prefixes.getOrDefault(vip, vip.getAddress().length * 8));
    }

    /** Takes a link up or down, or creates it up, as rtnetlink would report. */
    void setLink(String ifname, boolean usable) {
        links.put(ifname, usable);
        linkEvent(ifname, usable);
    }

    /** Deletes a link (reported as unusable, as rtnetlink's RTM_DELLINK). */
    void deleteLink(String ifname) {
        links.remove(ifname);
        linkEvent(ifname, false);
    }

    private void linkEvent(String ifname, boolean usable) {
        InetAddress a = addresses.get(ifname);
        // Down before the service hears it, up after it (re)attached: as a real link carries frames.
        if (!usable && a != null) {
            network.setLinkUp(a, false);
        }
        watcher.accept(ifname, usable);
        if (usable && a != null) {
            network.setLinkUp(a, true);
        }
    }

    /** Gives {@code ifname} this IPv4 address, or none for null (RTM_NEWADDR / RTM_DELADDR). */
    void setAddress(String ifname, String address) {
        if (address == null) {
            addresses.remove(ifname);
        } else {
            addresses.put(ifname, NetUtil.createInetAddressFromIpAddressString(address));
        }
        addressWatcher.run();
    }
}
