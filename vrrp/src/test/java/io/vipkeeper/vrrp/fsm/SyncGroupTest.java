package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.transport.InMemoryNetwork;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two hosts, each with two routers (VRID 51 and 52) in one sync group. */
class SyncGroupTest {
    private final VirtualClock clock = new VirtualClock();
    private final InMemoryNetwork net = new InMemoryNetwork(clock, 100_000);

    private final class Host implements AddressOwner {
        final VirtualRouter r51;
        final VirtualRouter r52;
        final List<Transition> seen = new ArrayList<>();
        final InetAddress address;

        Host(int n, int prio51, int prio52) {
            address = SimulatedSegment.ip("198.18.0." + n);
            VrrpTransport t = net.attach(address);
            VrrpDispatcher d = new VrrpDispatcher(t);
            r51 = new VirtualRouter(RouterConfig.v3("h" + n + "-51", 51, prio51, 100, address,
                    List.of(SimulatedSegment.ip("198.18.0.100"))), clock, new TransportActions(t, List.of(), this));
            r52 = new VirtualRouter(RouterConfig.v3("h" + n + "-52", 52, prio52, 100, address,
                    List.of(SimulatedSegment.ip("198.18.0.101"))), clock, new TransportActions(t, List.of(), this));
            d.add(r51);
            d.add(r52);
            new SyncGroup("g" + n, List.of(r51, r52));
            r51.addListener(seen::add);
            r52.addListener(seen::add);
        }

        void start() {
            r51.start();
            r52.start();
        }

        List<RouterState> states() {
            return List.of(r51.state(), r52.state());
        }

        @Override
        public void claim() {
        }

        @Override
        public void release() {
        }
    }

    @Test
    void membersMoveTogetherOnFaultAndRecovery() {
        Host a = new Host(1, 200, 200);
        Host b = new Host(2, 100, 100);
        a.start();
        b.start();
        clock.advanceMillis(5_000);
        assertEquals(List.of(RouterState.MASTER, RouterState.MASTER), a.states());
        assertEquals(List.of(RouterState.BACKUP, RouterState.BACKUP), b.states());

        a.r51.setFault("interface", "eth0 down");
        assertEquals(List.of(RouterState.FAULT, RouterState.FAULT), a.states());
        clock.advanceMillis(1_000);
        assertEquals(List.of(RouterState.MASTER, RouterState.MASTER), b.states());

        a.r51.setFault("interface", null);
        assertEquals(List.of(RouterState.BACKUP, RouterState.BACKUP), a.states());
        clock.advanceMillis(5_000);
        assertEquals(List.of(RouterState.MASTER, RouterState.MASTER), a.states());
        assertEquals(List.of(RouterState.BACKUP, RouterState.BACKUP), b.states());
    }

    @Test
    void theGroupTakesOverOnlyWhenEveryMemberWould() {
        // b is better for VRID 51 only: the group stays on a (keepalived does the same) and
        // nobody flaps; when a dies, b takes both.
        Host a = new Host(1, 200, 200);
        a.start();
        clock.advanceMillis(5_000);
        Host b = new Host(2, 250, 100);
        b.start();
        clock.advanceMillis(60_000);
        assertEquals(List.of(RouterState.MASTER, RouterState.MASTER), a.states());
        assertEquals(List.of(RouterState.BACKUP, RouterState.BACKUP), b.states());
        assertEquals(2, a.seen.size() - 2, "a: two startups and two takeovers only: " + a.seen);
        assertEquals(2, b.seen.size(), "b: startups only: " + b.seen);
        net.setLinkUp(a.address, false);
        clock.advanceMillis(5_000);
        assertEquals(List.of(RouterState.MASTER, RouterState.MASTER), b.states());
    }
}
