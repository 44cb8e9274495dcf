package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.ipvs.IpvsListing;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listing matches ipvsadm -Ln's layout, line by line. */
class IpvsListingTest {
    private static final String VERSION = "IP Virtual Server version 1.2.1 (size=4096)";

    private static ActualService web() {
        ServiceKey key = ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.100"), 80);
        BackendKey rs = new BackendKey(TableReconcilerTest.ip("198.18.0.2"), 80);
        ActualBackend d = new ActualBackend(new BackendSpec(rs, Forwarding.NAT, 1, 0, 0), 3, 12, 0,
                new TrafficCounters(15, 200, 180, 1_234_567, 20_000));
        return new ActualService(new ServiceSpec(key, "rr", ServiceSpec.PERSISTENT, 600, 0xffffff00L), Map.of(rs, d),
                new TrafficCounters(15, 200, 180, 1_234_567, 20_000));
    }

    @Test
    void plainListing() {
        assertEquals(VERSION + "\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  198.18.0.100:80 rr persistent 600 mask 255.255.255.0\n"
                + "  -> 198.18.0.2:80                Masq    1      3          12        \n",
                IpvsListing.format(VERSION, List.of(web()), false));
    }

    @Test
    void statsListingScalesLikeIpvsadm() {
        String out = IpvsListing.format(VERSION, List.of(web()), true);
        assertEquals("TCP  198.18.0.100:80                    15      200      180    1234K    20000",
                out.lines().toList().get(3));
    }
}
