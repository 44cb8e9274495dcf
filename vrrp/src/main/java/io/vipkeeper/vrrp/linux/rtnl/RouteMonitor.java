package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.SyscallException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a listener that a route or policy rule was deleted (RTM_DELROUTE / RTM_DELRULE of either
 * family, rtnetlink's route and rule groups), or that such events were lost (ENOBUFS). It does
 * not parse which one: the listener puts back whatever of its own is missing, which an add with
 * NLM_F_EXCL finds out cheaply. Routes replaced in place ({@code ip route replace}: an
 * RTM_NEWROUTE with NLM_F_REPLACE, which deletes nothing) go to a second listener as they came,
 * for it to see whether one of its own was replaced ({@link Routing#displaces}); plain adds
 * (NLM_F_CREATE | NLM_F_EXCL) are not handed over. A daemon thread; the socket lives in the
 * network namespace of the thread that calls {@link #start}.
 */
public final class RouteMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteMonitor.class);

    private final NetlinkSocket socket;
    private final Thread thread;
    private volatile boolean stopped;

    private RouteMonitor(NetlinkSocket socket, Runnable deleted, Consumer<List<NetlinkMessage>> replaced) {
        this.socket = socket;
        this.thread = new Thread(() -> loop(deleted, replaced), "route-monitor");
        thread.setDaemon(true);
    }

    /**
     * Subscribes and calls {@code deleted} (on the monitor thread) after each batch with a deletion,
     * and {@code replaced} with a batch's route replacements.
     */
    public static RouteMonitor start(Runnable deleted, Consumer<List<NetlinkMessage>> replaced) {
        RouteMonitor m = new RouteMonitor(NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, Rtnl.GROUPS_ROUTE_AND_RULE,
                1000), deleted, replaced);
        m.thread.start();
        return m;
    }

    private void loop(Runnable deleted, Consumer<List<NetlinkMessage>> replaced) {
        while (!stopped) {
            try {
                boolean any = false;
                List<NetlinkMessage> replacements = new ArrayList<>();
                for (NetlinkMessage m : socket.receive()) {
                    any |= m.type() == Rtnl.RTM_DELROUTE || m.type() == Rtnl.RTM_DELRULE;
                    if (m.type() == Rtnl.RTM_NEWROUTE && (m.flags() & NetlinkMessageBuilder.NLM_F_REPLACE) != 0) {
                        replacements.add(m);
                    }
                }
                if (!replacements.isEmpty()) {
                    replaced.accept(replacements);
                }
                if (any) {
                    deleted.run();
                }
            } catch (SyscallException e) {
                if (stopped) {
                    return;
                }
                if (e.is(Errno.ENOBUFS)) {
                    LOG.warn("route monitor: events lost ({}), checking every virtual route and rule", e.getMessage());
                    deleted.run();
                } else if (!NetlinkSocket.isTimeout(e)) {
                    LOG.warn("route monitor: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("route monitor: {}", e.toString());
            }
        }
    }

    /** Stops the thread and closes the socket. */
    @Override
    public void close() {
        stopped = true;
        socket.close();
    }
}
