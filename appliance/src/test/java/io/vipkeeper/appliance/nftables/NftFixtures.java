package io.vipkeeper.appliance.nftables;

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

/** Services and backends for the nftables engine's tests, in 198.18.230.0/24 and 2001:db8::/32. */
final class NftFixtures {
    private NftFixtures() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static ServiceKey tcp(String vip, int port) {
        return ServiceKey.of(TransportProtocol.TCP, ip(vip), port);
    }

    static ServiceKey udp(String vip, int port) {
        return ServiceKey.of(TransportProtocol.UDP, ip(vip), port);
    }

    static ServiceSpec spec(ServiceKey key, String scheduler) {
        return new ServiceSpec(key, scheduler, 0, 0, 0xffffffffL);
    }

    static BackendSpec backend(String address, int port, int weight) {
        return new BackendSpec(new BackendKey(ip(address), port), Forwarding.NAT, weight, 0, 0);
    }

    static DesiredService service(ServiceKey key, String scheduler, BackendSpec... backends) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (BackendSpec b : backends) {
            dests.put(b.key(), b);
        }
        return new DesiredService(spec(key, scheduler), dests);
    }
}
