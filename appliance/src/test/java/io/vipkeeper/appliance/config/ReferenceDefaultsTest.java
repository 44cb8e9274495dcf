package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.HealthCheck.HealthCheckType;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins every default in reference.conf: changing one is a visible, deliberate decision. */
class ReferenceDefaultsTest {
    @TempDir
    Path dir;

    private Settings minimal() throws InvalidConfigException {
        return ConfigLoader.load(ConfigFiles.write(dir, "minimal.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.0.100\"] }",
                "vipkeeper.vrrp.scripts.s { command = [\"/bin/true\"] }",
                "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80, real-servers = [{ address = \"198.18.0.13\" }] }",
                "vipkeeper.ipvs.sync-daemon { instance = web }",
                "")));
    }

    @Test
    void topLevel() throws Exception {
        Settings s = minimal();
        assertEquals(SettingsReader.hostName(), s.nodeName());
        assertEquals(LogLevel.INFO, s.logLevel());
        assertEquals(new ApiSettings(Optional.of(new InetSocketAddress("127.0.0.1", 9180)), 256, 32,
                Duration.ofSeconds(10)), s.api());
        assertEquals(s.api().listen(), s.apiListen());
        assertEquals(List.of(), s.realServer().vips());
        assertEquals("eth0", s.realServer().interfaceName());
        assertTrue(s.vrrp().syncGroups().isEmpty());
    }

    @Test
    void vrrpInstance() throws Exception {
        VrrpInstance i = minimal().vrrp().instances().get("web");
        assertEquals(100, i.priority());
        assertEquals(VrrpVersion.V3, i.version());
        assertEquals(Duration.ofSeconds(1), i.advertInterval());
        assertTrue(i.preempt());
        assertEquals(Duration.ZERO, i.preemptDelay());
        assertEquals(32, i.virtualIps().get(0).prefixLength());
        assertEquals(List.of(), i.unicastPeers());
        assertEquals(Optional.empty(), i.unicastSource());
        assertEquals(255, i.unicastMinTtl());
        assertEquals(new VrrpInstance.Authentication(AuthType.NONE, ""), i.authentication());
        assertEquals(List.of(), i.trackInterfaces());
        assertEquals(List.of(), i.trackScripts());
        assertEquals(new VrrpInstance.Garp(Duration.ofSeconds(5), 5, Duration.ZERO), i.garp());
        assertEquals(Optional.empty(), i.notifyScript());
    }

    @Test
    void trackedInterfaceAndScript() throws Exception {
        Settings s = ConfigLoader.load(ConfigFiles.write(dir, "t.conf", String.join("\n",
                "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.0.100\"],",
                "  track-interfaces = [eth1, { name = eth2 }] }",
                "vipkeeper.vrrp.scripts.s { command = [\"/bin/true\"] }", "")));
        assertEquals(List.of(new VrrpInstance.TrackedInterface("eth1", 0), new VrrpInstance.TrackedInterface("eth2", 0)),
                s.vrrp().instances().get("web").trackInterfaces());
        assertEquals(new VrrpScript("s", new Program(List.of("/bin/true"), Optional.empty(), Duration.ofSeconds(1)),
                Duration.ofSeconds(1), 0, 1, 1), s.vrrp().scripts().get("s"));
    }

    @Test
    void virtualAndRealServer() throws Exception {
        Settings s = minimal();
        VirtualServer v = s.ipvs().virtualServers().get("web");
        assertEquals(TransportProtocol.TCP, v.protocol());
        assertEquals(Scheduler.WLC, v.scheduler());
        assertTrue(v.schedulerFlags().isEmpty());
        assertFalse(v.onePacket());
        assertEquals(Forwarding.NAT, v.forwarding());
        assertFalse(v.snat());
        assertEquals(new VirtualServer.Persistence(Duration.ZERO, 32), v.persistence());
        assertEquals(1, v.quorum());
        assertEquals(0, v.hysteresis());
        assertEquals(Optional.empty(), v.sorryServer());
        assertFalse(v.inhibitOnFailure());
        HealthCheck hc = new HealthCheck(HealthCheckType.TCP, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3,
                Optional.empty(), OptionalInt.empty(), HealthCheck.InitialState.UP, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals(hc, v.healthCheck());
        RealServer r = v.realServers().get(0);
        assertEquals(80, r.port());
        assertEquals(1, r.weight());
        assertEquals(Forwarding.NAT, r.forwarding());
        assertEquals(hc, r.healthCheck());
        assertEquals(new IpvsSettings.SyncDaemon("eth0", "web", 51), s.ipvs().syncDaemon().orElseThrow());
    }

    @Test
    void realServerOverridesMergeOverTheVirtualServer() throws Exception {
        Settings s = ConfigLoader.load(ConfigFiles.write(dir, "o.conf", String.join("\n",
                "vipkeeper.ipvs.virtual-servers.web { address = \"2001:db8::1\", port = 80, forwarding = dr,",
                "  health-check { type = http, rise = 4 }",
                "  persistence.timeout = 30s",
                "  real-servers = [{ address = \"2001:db8::13\", port = 8080, forwarding = tun, health-check { fall = 9 } }] }",
                "")));
        VirtualServer v = s.ipvs().virtualServers().get("web");
        assertTrue(v.ipv6());
        assertEquals(128, v.persistence().prefixLength());
        RealServer r = v.realServers().get(0);
        assertEquals(Forwarding.TUN, r.forwarding());
        HealthCheck.Http http = new HealthCheck.Http("/", Optional.empty(), List.of(new HealthCheck.StatusRange(200, 200)),
                Optional.empty(), Optional.empty());
        assertEquals(new HealthCheck(HealthCheckType.HTTP, Duration.ofSeconds(2), Duration.ofSeconds(1), 4, 9,
                Optional.empty(), OptionalInt.empty(), HealthCheck.InitialState.UP, Optional.of(http), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()), r.healthCheck());
    }
}
