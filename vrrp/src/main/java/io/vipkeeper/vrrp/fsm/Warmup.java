package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.transport.InMemoryNetwork;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.slf4j.helpers.NOPLogger;

/**
 * Runs the state machine, codec and dispatcher through elections and failovers on an in-memory
 * segment before the daemon starts, so the first real takeover does not pay for class loading and
 * interpretation (at 10 ms adverts that cost the first failover about 10 ms).
 */
public final class Warmup {
    private Warmup() {
    }

    /**
     * Runs {@code rounds} failovers of a three-router segment (a few hundred ms of CPU), or as many
     * as fit before {@code deadlineNanos} (System.nanoTime()): a start must not wait for an
     * optimisation where the CPU is slow or taken (under TCG emulation on a loaded host it took
     * over a minute and the demo's node missed its start deadline).
     */
    public static void run(int rounds, long deadlineNanos) {
        VirtualClock clock = new VirtualClock();
        InMemoryNetwork net = new InMemoryNetwork(clock, 10_000);
        VirtualRouter[] routers = new VirtualRouter[3];
        InetAddress[] addresses = new InetAddress[3];
        for (int i = 0; i < 3; i++) {
            addresses[i] = address(i + 1);
            VrrpTransport t = net.attach(addresses[i]);
            RouterConfig c = RouterConfig.v3("warmup-" + i, 1, 100 + 50 * i, 1, addresses[i], List.of(address(100)));
            routers[i] = new VirtualRouter(c, clock, new TransportActions(t, List.of(), new AddressOwner() {
                @Override
                public void claim() {
                }

                @Override
                public void release() {
                }
            }), NOPLogger.NOP_LOGGER);
            new VrrpDispatcher(t).add(routers[i]);
            routers[i].start();
        }
        for (int r = 0; r < rounds && System.nanoTime() - deadlineNanos < 0; r++) {
            clock.advanceMillis(100);
            VirtualRouter top = routers[2];
            net.setLinkUp(addresses[2], false);
            clock.advanceMillis(100);
            top.setFault("warmup", "warming up");
            net.setLinkUp(addresses[2], true);
            top.setFault("warmup", null);
            routers[1].stop();
            clock.advanceMillis(50);
            routers[1].start();
        }
        for (VirtualRouter router : routers) {
            router.stop();
        }
        VrrpAdvertisement.v3(1, 1, 1, List.of()).toString();
    }

    private static InetAddress address(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) 255, (byte) host});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
