package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bgp section: its defaults, its sample, and each mistake at its line. */
class BgpConfigTest {
    @TempDir
    Path dir;

    private Settings load(String text) throws Exception {
        return ConfigLoader.load(ConfigFiles.write(dir, "bgp.conf", text), ConfigCache.NONE,
                choice -> NftablesDataPlane.CAPABILITIES);
    }

    private List<String> problems(String text) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(text));
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message()).toList();
    }

    /** A virtual server on each of the VIPs the tests name, with the scheduler bgp asks for. */
    private static final String SERVED = "vipkeeper.ipvs.virtual-servers {\n"
            + "  v4 { address = \"198.18.0.100\", port = 80, scheduler = mh, real-servers = [{ address = \"198.18.0.13\" }] }\n"
            + "  v6 { address = \"2001:db8::1\", port = 80, scheduler = mh, real-servers = [{ address = \"2001:db8::13\" }] }\n"
            + "}\n";

    @Test
    void vipsWithTheirVirtualServersAreEnoughToRunAndTakeTheDefaults() throws Exception {
        Settings s = load("vipkeeper.bgp.vips = [\"198.18.0.100\", \"2001:db8::1\"]\n" + SERVED);
        assertEquals(List.of(InetAddress.getByName("198.18.0.100"), InetAddress.getByName("2001:db8::1")), s.bgp().vips());
        assertEquals("vipkeeper-bgp", s.bgp().device());
        assertEquals(Duration.ofMillis(200), s.bgp().checkInterval());
        assertEquals(Duration.ofSeconds(2), s.bgp().withdrawWait());
        assertTrue(!s.runsNothing());
        assertEquals("0 VRRP instances, 2 virtual servers, 2 real servers, 2 bgp VIPs", s.counts());
    }

    @Test
    void theSampleLoadsOnNftables() throws Exception {
        Path sample = Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"), "samples", "bgp-ecmp.conf");
        Settings s = ConfigLoader.load(sample, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
        assertEquals(List.of(InetAddress.getByName("198.18.0.100")), s.bgp().vips());
    }

    @Test
    void eachMistakeIsAProblemAtItsLine() {
        assertEquals(List.of(
                "bgp.conf:2: vipkeeper.bgp.vips[0]: \"198.18.0.0/24\" is not an IP address (it is announced as /32 or /128)",
                "bgp.conf:3: vipkeeper.bgp.vips[2]: 198.18.0.100 is listed twice",
                "bgp.conf:5: vipkeeper.bgp.device: \"a-name-far-too-long\" is not an interface name (1..15 characters, no '/' or spaces)",
                "bgp.conf:6: vipkeeper.bgp.withdraw-wait: 11m is out of range 0ms..10m"),
                problems("vipkeeper.bgp {\n  vips = [\"198.18.0.0/24\",\n \"198.18.0.100\", \"198.18.0.100\"]\n"
                        + "  check-interval = 100ms\n  device = \"a-name-far-too-long\"\n  withdraw-wait = 11m\n}\n" + SERVED));
    }

    @Test
    void aVipOfAVrrpInstanceCannotBeABgpVipToo() {
        List<String> p = problems("vipkeeper.vrrp.instances.vi { interface = eth0, virtual-router-id = 7,"
                + " virtual-ips = [\"198.18.0.100/24\"] }\nvipkeeper.bgp.vips = [\"198.18.0.100\"]\n");
        assertEquals(List.of("bgp.conf:2: vipkeeper.bgp.vips[0]: 198.18.0.100 is also a VRRP instance's virtual IP;"
                + " a VIP has one owner, vrrp or bgp"), p);
    }

    @Test
    void aSchedulerThatEachDirectorAppliesOnItsOwnIsRefusedOnABgpVipUnlessTheFileSaysSo() throws Exception {
        String why = ": each director would choose its own real server, so a flow that moves to another director (one"
                + " lost or back) breaks; use mh (or sh, dh), or set vipkeeper.bgp.allow-any-scheduler = true";
        String file = String.join("\n",
                "vipkeeper.bgp.vips = [\"198.18.0.100\"]",
                "vipkeeper.ipvs.virtual-servers {",
                "  rr { address = \"198.18.0.100\", port = 80",
                "    scheduler = rr, real-servers = [{ address = \"198.18.0.13\" }] }",
                "  dflt { address = \"198.18.0.100\", port = 81, real-servers = [{ address = \"198.18.0.13\" }] }",
                "  mh { address = \"198.18.0.100\", port = 82, scheduler = mh, real-servers = [{ address = \"198.18.0.13\" }] }",
                "  vrrp { address = \"198.18.0.101\", port = 80, scheduler = rr, real-servers = [{ address = \"198.18.0.13\" }] }",
                "}", "");
        assertEquals(List.of("bgp.conf:4: vipkeeper.ipvs.virtual-servers.rr.scheduler: rr on bgp VIP 198.18.0.100" + why,
                "bgp.conf:5: vipkeeper.ipvs.virtual-servers.dflt.scheduler: wrr on bgp VIP 198.18.0.100" + why), problems(file));
        load(file + "vipkeeper.bgp.allow-any-scheduler = true\n");
    }

    private static final String NOTHING_BEHIND =
            " has no virtual server on its address, so nothing would serve what the routers send here";

    @Test
    void aVipThatNoVirtualServerServesIsRefusedAtItsLine() {
        // Issue 19: the VIP says .100, the service .101 (a typo); it passed check and was announced.
        assertEquals(List.of("bgp.conf:1: vipkeeper.bgp.vips[0]: 198.18.0.100" + NOTHING_BEHIND),
                problems("vipkeeper.bgp.vips = [\"198.18.0.100\"]\nvipkeeper.ipvs.virtual-servers.web { address ="
                        + " \"198.18.0.101\", port = 80, scheduler = mh, real-servers = [{ address = \"198.18.0.13\" }] }\n"));
    }

    @Test
    void aFwmarkServiceDoesNotServeABgpVipAndTheProblemSaysWhy() {
        // Issue 19: served only by fwmark 7, the VIP was announced whatever its real servers did.
        assertEquals(List.of("bgp.conf:1: vipkeeper.bgp.vips[0]: 198.18.0.100" + NOTHING_BEHIND
                + " (a fwmark virtual server does not count: its mark is set outside this file, so its real servers"
                + " and quorum cannot be tied to the VIP; give the VIP a virtual server with address = \"198.18.0.100\")"),
                problems("vipkeeper.bgp.vips = [\"198.18.0.100\"]\nvipkeeper.ipvs.virtual-servers.marked { fwmark = 7,"
                        + " scheduler = mh, real-servers = [{ address = \"198.18.0.13\", port = 80 },"
                        + " { address = \"198.18.0.14\", port = 80 }] }\n"));
    }

    @Test
    void aDeviceNameTheHostHasIsRefusedAtItsLine() {
        // lo is in every namespace, and is no tun the daemon holds.
        assertEquals(List.of("bgp.conf:3: vipkeeper.bgp.device: interface lo exists on this host and is not the"
                + " daemon's; name one that only vipkeeper creates (it makes a tun device that goes away with the process)"),
                problems("vipkeeper.bgp {\n  vips = [\"198.18.0.100\"]\n  device = lo\n}\n" + SERVED));
    }

    @Test
    void onlyATunHeldByAProcessPassesAsTheDaemonsOwn() throws Exception {
        Settings s = load("vipkeeper.bgp.vips = [\"198.18.0.100\"]\n" + SERVED);
        assertTrue(BgpDeviceCheck.check(s.bgp(), host(Set.of("lo", "vipkeeper-bgp"), Optional.of(true))).isEmpty());
        // A persistent tun or any other interface is refused, at the bgp block when the device is the default.
        assertEquals(1, BgpDeviceCheck.check(s.bgp(), host(Set.of("lo", "vipkeeper-bgp"), Optional.of(false)))
                .orElseThrow().line());
        assertTrue(BgpDeviceCheck.check(s.bgp(), host(Set.of("lo"), Optional.of(false))).isEmpty());
        // A sysfs of another namespace cannot tell: the check passes, the device's creation at start decides.
        assertTrue(BgpDeviceCheck.check(s.bgp(), host(Set.of("lo", "vipkeeper-bgp"), Optional.empty())).isEmpty());
        assertEquals(Optional.of(false), HostNetwork.LINUX.heldTun("lo"));
    }

    private static HostNetwork host(Set<String> interfaces, Optional<Boolean> heldTun) {
        return new HostNetwork() {
            @Override
            public Optional<Set<String>> interfaces() {
                return Optional.of(interfaces);
            }

            @Override
            public Optional<Map<InetAddress, String>> addresses() {
                return Optional.empty();
            }

            @Override
            public Optional<Boolean> heldTun(String name) {
                return heldTun;
            }
        };
    }

    /** A bgp-only file asking for a sync daemon is told why bgp mode has none, at the block's line, on IPVS. */
    @Test
    void aSyncDaemonInABgpOnlyFileIsRefusedWithTheReason() throws Exception {
        String file = "vipkeeper.bgp.vips = [\"198.18.0.100\", \"2001:db8::1\"]\n"
                + "vipkeeper.ipvs.sync-daemon { interface = eth0 }\n" + SERVED;
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(
                ConfigFiles.write(dir, "bgp.conf", file), ConfigCache.NONE,
                choice -> io.vipkeeper.appliance.ipvs.IpvsKernel.CAPABILITIES));
        assertEquals(List.of("bgp.conf:2: vipkeeper.ipvs.sync-daemon: " + IpvsReader.BGP_NO_SYNC_DAEMON),
                e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message())
                        .toList());
        // Beside a VRRP instance (a pair per site) the sync daemon follows that instance as before.
        Settings mixed = ConfigLoader.load(ConfigFiles.write(dir, "mixed.conf", "vipkeeper.vrrp.instances.site {"
                + " interface = eth0, virtual-router-id = 7, virtual-ips = [\"198.18.0.200/24\"] }\n"
                + file.replace("{ interface = eth0 }", "{ instance = site }")), ConfigCache.NONE,
                choice -> io.vipkeeper.appliance.ipvs.IpvsKernel.CAPABILITIES);
        assertEquals(Optional.of(new IpvsSettings.SyncDaemon("eth0", "site", 7)), mixed.ipvs().syncDaemon());
    }

    @Test
    void anUnknownKeyIsAProblem() {
        assertTrue(problems("vipkeeper.bgp { vips = [\"198.18.0.100\"], devise = x }\n").get(0).startsWith("bgp.conf:1: "));
    }
}
