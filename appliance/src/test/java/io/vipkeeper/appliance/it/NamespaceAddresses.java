package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddress;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import java.util.Set;
import java.util.TreeSet;

/**
 * The addresses of one network namespace, read by an rtnetlink dump (RTM_GETADDR) over a socket
 * opened inside it: cheap enough to sample many times per advert interval, where spawning
 * {@code ip} would not be.
 */
final class NamespaceAddresses implements AutoCloseable {
    private final NetlinkSocket socket;
    private final InterfaceAddresses addresses;

    NamespaceAddresses(String ns) throws Exception {
        socket = NamespaceThreads.call(ns, () -> NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 1000));
        addresses = new InterfaceAddresses(socket);
    }

    /** Every address on any interface of the namespace, as text. */
    Set<String> all() {
        Set<String> out = new TreeSet<>();
        for (InterfaceAddress a : addresses.list(0)) {
            out.add(a.address().getHostAddress());
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
