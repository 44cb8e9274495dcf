package io.vipkeeper.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** What the log says while a stopping (or resigning) master waits for the new master's advert. */
class HandoverLogTest {
    private final SimulatedSegment seg = new SimulatedSegment();
    private final RecordingLogger log = new RecordingLogger();

    private VirtualRouter logged(int host, int priority) {
        InetAddress address = SimulatedSegment.ip("198.18.0." + host);
        VrrpTransport t = seg.network.attach(address);
        AddressOwner owner = new AddressOwner() {
            @Override
            public void claim() {
            }

            @Override
            public void release() {
            }
        };
        VirtualRouter r = new VirtualRouter(RouterConfig.v3("a", 51, priority, 100, address,
                List.of(SimulatedSegment.VIP)), seg.clock, new TransportActions(t, List.of(), owner), log);
        new VrrpDispatcher(t).add(r);
        return r;
    }

    private List<String> waitLines() {
        return log.at(Level.INFO).stream().filter(l -> l.contains("new master") || l.contains("priority 0")).toList();
    }

    @Test
    void aStopSaysItWaitsForTheNewMasterAndWhenItSawIt() {
        VirtualRouter a = logged(1, 200);
        seg.add("b", 2, 100).router.start();
        a.start();
        seg.clock.advanceMillis(5_000);
        a.stop();
        seg.clock.advanceMillis(2_000);
        // b takes over after its Skew_Time (609.375 ms) and advertises at once; 0.1 ms each way.
        assertEquals(List.of("a: stopping: sent priority 0; keeping the addresses until the new master's advert"
                + " (at most 4050 ms)", "a: new master 198.18.0.2 seen after 609 ms: releasing the addresses"),
                waitLines());
    }

    @Test
    void aStopWithNobodyToTakeOverSaysTheBoundWasReached() {
        VirtualRouter a = logged(1, 200);
        a.start();
        seg.clock.advanceMillis(5_000);
        a.stop();
        seg.clock.advanceMillis(5_000);
        assertEquals(List.of("a: stopping: sent priority 0; keeping the addresses until the new master's advert"
                + " (at most 4050 ms)", "a: no new master advertised within 4050 ms: releasing the addresses"),
                log.at(Level.INFO).stream().filter(l -> l.contains("new master")).toList());
    }
}
