package io.vipkeeper.appliance.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The interface dr and stateless-nat send a backend's packets out of: the one whose network holds
 * it with the longest prefix, as the kernel's route lookup picks (the first by name sent a backend
 * on eth1's /26 out of eth0's /24, and no answer came back).
 */
class DsrHopsTest {
    private static DsrHops.Network net(String address, int bits) throws Exception {
        return new DsrHops.Network(InetAddress.getByName(address).getAddress(), bits);
    }

    private static byte[] ip(String address) throws Exception {
        return InetAddress.getByName(address).getAddress();
    }

    @Test
    void theLongestMatchingNetworkWinsWhateverTheNames() throws Exception {
        Map<String, List<DsrHops.Network>> nets = Map.of("eth0", List.of(net("198.18.244.1", 24)),
                "eth1", List.of(net("198.18.244.129", 26)));
        assertEquals("eth1", DsrHops.longestMatch(nets, ip("198.18.244.140")));
        assertEquals("eth0", DsrHops.longestMatch(nets, ip("198.18.244.20")));
        assertNull(DsrHops.longestMatch(nets, ip("198.18.245.20")));
    }

    @Test
    void amongEqualPrefixesTheFirstNameWins() throws Exception {
        Map<String, List<DsrHops.Network>> nets = Map.of("eth1", List.of(net("198.18.244.2", 24)),
                "eth0", List.of(net("198.18.244.1", 24)));
        assertEquals("eth0", DsrHops.longestMatch(nets, ip("198.18.244.20")));
    }
}
