package io.vipkeeper.appliance.vrrp;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.config.IpPrefix;
import io.vipkeeper.appliance.config.VrrpInstance;
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
 * without; links can be deleted and created, eth0's address removed and added.
 */
final class InMemoryPlatform implements VrrpPlatform {
    private final String host;
    private final InMemoryNetwork network;
    private final InetAddress address;
    private final Map<String, Boolean> links = new HashMap<>();
    /** VIP -> host names holding it, shared by every host of the segment. */
    private final Map<InetAddress, Set<String>> holders;
    private BiConsumer<String, Boolean> watcher = (i, u) -> { };
    private Runnable addressWatcher = () -> { };
    private boolean addressed = true;
    int transportsOpened;

    InMemoryPlatform(String host, InMemoryNetwork network, String address, Map<InetAddress, Set<String>> holders) {
        this.host = host;
        this.network = network;
        this.address = NetUtil.createInetAddressFromIpAddressString(address);
        this.holders = holders;
        links.put("eth0", true);
        links.put("eth1", true);
    }

    @Override
    public Optional<InterfaceInfo> lookup(String name, boolean ipv6) {
        if (!links.containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(new InterfaceInfo(name, 2, name.equals("eth0") && !ipv6 && addressed ? Optional.of(address)
                : Optional.empty(), links.get(name)));
    }

    @Override
    public VrrpTransport openTransport(String ifname, boolean ipv6, InetAddress source, boolean joinGroup,
            Optional<byte[]> ahKey) {
        transportsOpened++;
        return network.attach(source);
    }

    @Override
    public AddressOwner addressOwner(String ifname, List<IpPrefix> vips, VrrpInstance.Garp garp,
            VrrpScheduler scheduler) {
        return new AddressOwner() {
            @Override
            public void claim() {
                vips.forEach(v -> holders.computeIfAbsent(v.address(), k -> ConcurrentHashMap.newKeySet()).add(host));
            }

            @Override
            public void release() {
                vips.forEach(v -> holders.computeIfAbsent(v.address(), k -> ConcurrentHashMap.newKeySet()).remove(host));
            }
        };
    }

    @Override
    public void watchLinks(BiConsumer<String, Boolean> onChange, Runnable onAddresses) {
        this.watcher = onChange;
        this.addressWatcher = onAddresses;
    }

    /** Takes a link up or down, as rtnetlink would report. */
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
        watcher.accept(ifname, usable);
        if (ifname.equals("eth0") && transportsOpened > 0) {
            network.setLinkUp(address, usable);
        }
    }

    /** Removes or adds eth0's address, as rtnetlink's RTM_DELADDR / RTM_NEWADDR. */
    void setAddressed(boolean present) {
        addressed = present;
        addressWatcher.run();
    }
}
