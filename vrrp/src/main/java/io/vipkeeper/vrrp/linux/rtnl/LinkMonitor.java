package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.SyscallException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link events from the kernel (rtnetlink group RTMGRP_LINK, optionally the address groups), not
 * polling: a daemon thread blocks on the socket and hands each RTM_NEWLINK / RTM_DELLINK to the
 * listener, and the ifindex of each RTM_NEWADDR / RTM_DELADDR to the address listener. Malformed
 * events are counted and skipped. The socket lives in the network namespace of the thread that
 * calls {@link #start}.
 */
public final class LinkMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkMonitor.class);

    private final NetlinkSocket socket;
    private final Thread thread;
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean stopped;

    /**
     * Told of each address that {@code relevant} rejected being added (true) or removed (false):
     * a VIP deleted or added by hand, or by vipkeeper itself (the listener tells them apart).
     */
    private final BiConsumer<InterfaceAddress, Boolean> other;

    private LinkMonitor(NetlinkSocket socket, Consumer<LinkInfo> listener, IntConsumer addresses,
            Predicate<InetAddress> relevant, BiConsumer<InterfaceAddress, Boolean> other) {
        this.socket = socket;
        this.other = other;
        this.thread = new Thread(() -> loop(listener, addresses, relevant), "link-monitor");
        thread.setDaemon(true);
    }

    /**
     * Subscribes and starts delivering; {@code listener} runs on the monitor thread and gets
     * deleted links with flags 0.
     */
    public static LinkMonitor start(Consumer<LinkInfo> listener) {
        return start(Rtnl.RTMGRP_LINK, listener, index -> { }, a -> false, (a, added) -> { });
    }

    /**
     * The same, also telling {@code addresses} the ifindex of every IPv4/IPv6 address added or
     * removed (an interface may become usable for VRRP only when it gets an address), or 0 when
     * events were lost and any interface's addresses may have changed.
     */
    public static LinkMonitor start(Consumer<LinkInfo> listener, IntConsumer addresses) {
        return start(Rtnl.GROUPS_LINK_AND_ADDR, listener, addresses, a -> true, (a, added) -> { });
    }

    /**
     * The same, telling {@code addresses} only of the addresses {@code relevant} accepts, and
     * {@code other} of each addition (true) and removal (false) of one it rejects: a VIP that someone
     * added or deleted (or that vipkeeper claimed or released itself: the listener tells them apart).
     */
    public static LinkMonitor start(Consumer<LinkInfo> listener, IntConsumer addresses,
            Predicate<InetAddress> relevant, BiConsumer<InterfaceAddress, Boolean> other) {
        return start(Rtnl.GROUPS_LINK_AND_ADDR, listener, addresses, relevant, other);
    }

    private static LinkMonitor start(int groups, Consumer<LinkInfo> listener, IntConsumer addresses,
            Predicate<InetAddress> relevant, BiConsumer<InterfaceAddress, Boolean> other) {
        NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, groups, 1000);
        LinkMonitor m = new LinkMonitor(s, listener, addresses, relevant, other);
        m.thread.start();
        return m;
    }

    /** Events that could not be parsed. */
    public long malformed() {
        return malformed.get();
    }

    private void loop(Consumer<LinkInfo> listener, IntConsumer addresses, Predicate<InetAddress> relevant) {
        while (!stopped) {
            try {
                for (NetlinkMessage m : socket.receive()) {
                    if (m.type() == Rtnl.RTM_NEWLINK || m.type() == Rtnl.RTM_DELLINK) {
                        LinkInfo info = LinkInfo.parse(m);
                        listener.accept(m.type() == Rtnl.RTM_DELLINK
                                ? new LinkInfo(info.index(), info.name(), info.mac(), 0, 0) : info);
                    } else if (m.type() == Rtnl.RTM_NEWADDR || m.type() == Rtnl.RTM_DELADDR) {
                        InterfaceAddress a = InterfaceAddresses.parse(m);
                        if (relevant.test(a.address())) {
                            addresses.accept(a.ifindex());
                        } else {
                            other.accept(a, m.type() == Rtnl.RTM_NEWADDR);
                        }
                    }
                }
            } catch (SyscallException e) {
                if (stopped) {
                    return;
                }
                if (e.is(io.vipkeeper.vrrp.linux.Errno.ENOBUFS)) {
                    // Events were lost: report every link's current state so none stays stale, and
                    // that addresses may have changed anywhere (ifindex 0).
                    LOG.warn("link monitor: events lost ({}), re-reading all links", e.getMessage());
                    resync(listener);
                    addresses.accept(0);
                } else if (!NetlinkSocket.isTimeout(e)) {
                    LOG.warn("link monitor: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                malformed.incrementAndGet();
                LOG.warn("link monitor: skipped a malformed event: {}", e.toString());
            }
        }
    }

    private void resync(Consumer<LinkInfo> listener) {
        try (NetlinkSocket dump = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000)) {
            new Links(dump).all().forEach(listener);
        } catch (RuntimeException e) {
            LOG.warn("link monitor: re-reading links failed: {}", e.toString());
        }
    }

    /** Stops the thread and closes the socket. */
    @Override
    public void close() {
        stopped = true;
        socket.close();
    }
}
