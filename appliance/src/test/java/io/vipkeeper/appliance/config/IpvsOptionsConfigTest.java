package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.Capabilities;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipvs.timeouts and the sync daemon's message options: read, checked at FILE:LINE, refused on nftables. */
class IpvsOptionsConfigTest {
    private static final String INSTANCE = "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51,"
            + " virtual-ips = [\"198.19.120.100/24\"] }";

    @TempDir
    Path dir;

    private Path write(String... lines) {
        return ConfigFiles.write(dir, "o.conf", String.join("\n", lines) + "\n");
    }

    private static List<String> problems(InvalidConfigException e) {
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message())
                .toList();
    }

    @Test
    void timeoutsAndSyncOptionsAreRead() throws Exception {
        Settings s = ConfigLoader.load(write(INSTANCE,
                "vipkeeper.ipvs.timeouts { tcp = 2h, udp = 120s }",
                "vipkeeper.ipvs.sync-daemon { instance = web, max-length = 1400, group = \"239.0.0.81\", port = 8849,"
                        + " ttl = 2 }"));
        assertEquals(new IpvsSettings.Timeouts(Optional.of(Duration.ofHours(2)), Optional.empty(),
                Optional.of(Duration.ofSeconds(120))), s.ipvs().timeouts());
        assertEquals(new IpvsSettings.SyncDaemon("eth0", "web", 51, Optional.of(1400),
                Optional.of(InetAddress.getByName("239.0.0.81")), Optional.of(8849), Optional.of(2)),
                s.ipvs().syncDaemon().orElseThrow());
    }

    @Test
    void nothingSetLeavesTheKernelsValues() throws Exception {
        Settings s = ConfigLoader.load(write(INSTANCE, "vipkeeper.ipvs.sync-daemon { instance = web }"));
        assertEquals(IpvsSettings.Timeouts.NONE, s.ipvs().timeouts());
        assertEquals(new IpvsSettings.SyncDaemon("eth0", "web", 51), s.ipvs().syncDaemon().orElseThrow());
    }

    @Test
    void badValuesAreReportedAtTheirLines() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(write(INSTANCE,
                "vipkeeper.ipvs.timeouts {",
                "  tcp = 1500ms",
                "  tcp-fin = 0s",
                "  udp = 30d",
                "  tcpfin = 60s",
                "}",
                "vipkeeper.ipvs.sync-daemon {",
                "  instance = web",
                "  group = \"198.19.120.1\"",
                "  max-length = 70000",
                "  ttl = 0",
                "}")));
        assertEquals(List.of(
                "o.conf:3: vipkeeper.ipvs.timeouts.tcp: 1500ms is not whole seconds (IPVS counts seconds)",
                "o.conf:4: vipkeeper.ipvs.timeouts.tcp-fin: 0s is out of range 1s..2147483s",
                "o.conf:5: vipkeeper.ipvs.timeouts.udp: 30d is out of range 1s..2147483s",
                "o.conf:6: vipkeeper.ipvs.timeouts.tcpfin: unknown key (did you mean tcp-fin?)",
                "o.conf:10: vipkeeper.ipvs.sync-daemon.group: \"198.19.120.1\" is not a multicast address (the kernel's"
                        + " default is 224.0.0.81)",
                "o.conf:11: vipkeeper.ipvs.sync-daemon.max-length: 70000 is out of range 1..65507",
                "o.conf:12: vipkeeper.ipvs.sync-daemon.ttl: 0 is out of range 1..255"), problems(e));
    }

    @Test
    void nftablesRefusesTimeoutsAtTheirLineAndSaysWhatToSetInstead() {
        Capabilities nft = Capabilities.everything("nftables").without(Capabilities.Option.CONNECTION_TIMEOUTS)
                .without(Capabilities.Option.SYNC_DAEMON);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(
                write(INSTANCE, "vipkeeper.ipvs.timeouts.udp = 60s"), ConfigCache.NONE, choice -> nft));
        assertEquals(List.of("o.conf:2: vipkeeper.ipvs.timeouts: the nftables data plane has no IPVS connection timeouts:"
                + " its connections live in conntrack, whose timeouts are the sysctls"
                + " net.netfilter.nf_conntrack_tcp_timeout_established, nf_conntrack_tcp_timeout_fin_wait and"
                + " nf_conntrack_udp_timeout_stream; set those and remove ipvs.timeouts"), problems(e));
    }
}
