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
import java.util.StringJoiner;

/**
 * The N services x N backends table that {@link NftlbCompareBench} gives both vipkeeper's nftables
 * engine and nftlb, so both program the same thing: service s is VIP 198.18.234.s port 80 (TCP,
 * weighted), its backend b is 198.18.233.(b+1) port 8000+s with weight 1 + b % 5. Backend
 * addresses are shared between services (ports tell them apart), so the data-path lab needs only
 * N addresses in one backend namespace, whatever N. N is at most 100.
 */
final class CompareTable {
    static final String VIP_NET = "198.18.234";
    static final String BACKEND_NET = "198.18.233";
    static final int VIP_PORT = 80;
    static final int MAX = 100;

    private CompareTable() {
    }

    static String vip(int s) {
        return VIP_NET + "." + s;
    }

    static String backend(int b) {
        return BACKEND_NET + "." + (b + 1);
    }

    static int backendPort(int s) {
        return 8000 + s;
    }

    static int weight(int b) {
        return 1 + b % 5;
    }

    /** Service {@code s}'s key. */
    static ServiceKey service(int s) {
        return ServiceKey.of(TransportProtocol.TCP, ip(vip(s)), VIP_PORT);
    }

    /** Service {@code s}'s backend {@code b} at {@code weight}. */
    static BackendSpec backendSpec(int s, int b, int weight) {
        return new BackendSpec(new BackendKey(ip(backend(b)), backendPort(s)), Forwarding.NAT, weight, 0, 0);
    }

    /** The table for vipkeeper's engine: wrr (weighted random, nftlb's "weight") with NAT. */
    static Map<ServiceKey, DesiredService> desired(int n) {
        check(n);
        Map<ServiceKey, DesiredService> want = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
            for (int b = 0; b < n; b++) {
                BackendSpec spec = backendSpec(s, b, weight(b));
                dests.put(spec.key(), spec);
            }
            ServiceKey key = service(s);
            want.put(key, new DesiredService(new ServiceSpec(key, "wrr", 0, 0, 0xffffffffL), dests));
        }
        return want;
    }

    /** The same table as one nftlb {@code POST /farms} body: mode snat (masquerade), scheduler weight. */
    static String nftlbFarms(int n) {
        check(n);
        StringJoiner farms = new StringJoiner(",", "{\"farms\":[", "]}");
        for (int s = 0; s < n; s++) {
            StringJoiner backends = new StringJoiner(",", "[", "]");
            for (int b = 0; b < n; b++) {
                backends.add(nftlbBackend(s, b, weight(b)));
            }
            farms.add("{\"name\":\"" + farm(s) + "\",\"family\":\"ipv4\",\"virtual-addr\":\"" + vip(s)
                    + "\",\"virtual-ports\":\"" + VIP_PORT + "\",\"mode\":\"snat\",\"protocol\":\"tcp\","
                    + "\"scheduler\":\"weight\",\"state\":\"up\",\"backends\":" + backends + "}");
        }
        return farms.toString();
    }

    /** An nftlb body that sets service {@code s}'s backend {@code b} to {@code weight}. */
    static String nftlbWeight(int s, int b, int weight) {
        return "{\"farms\":[{\"name\":\"" + farm(s) + "\",\"backends\":[{\"name\":\"b" + b + "\",\"weight\":\"" + weight
                + "\"}]}]}";
    }

    private static String nftlbBackend(int s, int b, int weight) {
        return "{\"name\":\"b" + b + "\",\"ip-addr\":\"" + backend(b) + "\",\"port\":\"" + backendPort(s)
                + "\",\"weight\":\"" + weight + "\",\"state\":\"up\"}";
    }

    /** nftlb's name of service {@code s} (its chains are filter-NAME and nat-NAME). */
    static String farm(int s) {
        return "f" + s;
    }

    /** The sum of service weights after backend 0's weight is changed to {@code weight}, as nftlb's numgen modulus. */
    static int weightSum(int n, int changedTo) {
        int sum = changedTo;
        for (int b = 1; b < n; b++) {
            sum += weight(b);
        }
        return sum;
    }

    private static void check(int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("services x backends must be 1..." + MAX + " (the lab's address plan): " + n);
        }
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
