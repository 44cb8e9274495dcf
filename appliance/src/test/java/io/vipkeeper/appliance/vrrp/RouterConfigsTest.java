package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.vrrp.fsm.RouterConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instance's receive policy reaches the state machine: whom to trust, and from how far. */
class RouterConfigsTest {
    @TempDir
    Path dir;

    private static InetAddress ip(String s) {
        return NetUtil.createInetAddressFromIpAddressString(s);
    }

    private VrrpInstance instance(String extra) throws Exception {
        Path f = dir.resolve("vk-" + System.nanoTime() + ".conf");
        Files.writeString(f, "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51,"
                + " virtual-ips = [\"198.18.0.100\"]\n" + extra + " }\n");
        return ConfigLoader.load(f).vrrp().instances().get("web");
    }

    @Test
    void unicastPeersAreTheOnlyTrustedSendersAndNeedTtl255ByDefault() throws Exception {
        RouterConfig c = RouterConfigs.of(instance("unicast-peers = [\"198.18.0.12\", \"198.18.0.13\"]"),
                ip("198.18.0.11"));
        assertEquals(List.of(ip("198.18.0.12"), ip("198.18.0.13")), c.unicastPeers());
        assertEquals(255, c.minTtl());
    }

    @Test
    void routedPeersNeedTheirMinimumTtl() throws Exception {
        RouterConfig c = RouterConfigs.of(instance("unicast-peers = [\"198.18.0.12\"], unicast-min-ttl = 253"),
                ip("198.18.0.11"));
        assertEquals(253, c.minTtl());
    }

    @Test
    void multicastTrustsTheLinkAtTtl255() throws Exception {
        RouterConfig c = RouterConfigs.of(instance(""), ip("198.18.0.11"));
        assertEquals(List.of(), c.unicastPeers());
        assertEquals(255, c.minTtl());
    }

    @Test
    void advertsCarryTheVirtualIpsButNotTheExcludedAddresses() throws Exception {
        RouterConfig c = RouterConfigs.of(instance("virtual-ips = [\"198.18.0.100\", { address = \"198.18.0.101\","
                + " interface = eth1 }]\nexcluded-ips = [\"198.18.0.102\", \"2001:2::1/64\"]"), ip("198.18.0.11"));
        assertEquals(List.of(ip("198.18.0.100"), ip("198.18.0.101")), c.virtualAddresses());
    }
}
