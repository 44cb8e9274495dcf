package io.vipkeeper.vrrp.linux;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of tests against the host kernel: namespaces {@code nsA} (interface vka, SUBNET.1/24) and
 * {@code nsB} (vkb, SUBNET.2/24) joined by a veth pair, and a Netty epoll event loop; all removed
 * after each test, also when it fails.
 */
abstract class TwoNamespaces {
    protected NetNs netns;
    protected String nsA;
    protected String nsB;
    protected MultiThreadIoEventLoopGroup group;
    protected IoEventLoop loop;

    /** The first three octets of the lab's /24, inside 198.18.0.0/15. */
    protected abstract String subnet();

    @BeforeEach
    void twoNamespaces() throws Exception {
        netns = new NetNs();
        nsA = netns.create("a");
        nsB = netns.create("b");
        netns.veth(nsA, "vka", subnet() + ".1/24", nsB, "vkb", subnet() + ".2/24");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
    }

    @AfterEach
    void removeNamespaces() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        netns.close();
    }
}
