package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The engine benchmarks' desired table: N TCP services on 198.18.232.S:80, each with N NAT backends 198.19.S.B:8080. */
final class BenchTables {
    private BenchTables() {
    }

    /** N x N, weights 1 to 5 in turn, {@code scheduler} for every service. */
    static Map<ServiceKey, DesiredService> grid(int n, String scheduler) throws UnknownHostException {
        Map<ServiceKey, DesiredService> want = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            ServiceKey key = ServiceKey.of(TransportProtocol.TCP, InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) 232, (byte) s}), 80);
            Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
            for (int b = 0; b < n; b++) {
                BackendKey bk = new BackendKey(InetAddress.getByAddress(new byte[] {(byte) 198, 19, (byte) s, (byte) (b + 1)}), 8080);
                dests.put(bk, new BackendSpec(bk, Forwarding.NAT, 1 + b % 5, 0, 0));
            }
            want.put(key, new DesiredService(new ServiceSpec(key, scheduler, 0, 0, 0xffffffffL), dests));
        }
        return want;
    }
}
