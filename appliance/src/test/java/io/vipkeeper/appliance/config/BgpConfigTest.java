package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Test
    void vipsAloneAreEnoughToRunAndTakeTheDefaults() throws Exception {
        Settings s = load("vipkeeper.bgp.vips = [\"198.18.0.100\", \"2001:db8::1\"]\n");
        assertEquals(List.of(InetAddress.getByName("198.18.0.100"), InetAddress.getByName("2001:db8::1")), s.bgp().vips());
        assertEquals("vipkeeper-bgp", s.bgp().device());
        assertEquals(Duration.ofMillis(200), s.bgp().checkInterval());
        assertEquals(Duration.ofSeconds(2), s.bgp().withdrawWait());
        assertTrue(!s.runsNothing());
        assertEquals("0 VRRP instances, 0 virtual servers, 0 real servers, 2 bgp VIPs", s.counts());
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
                        + "  check-interval = 100ms\n  device = \"a-name-far-too-long\"\n  withdraw-wait = 11m\n}\n"));
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

    @Test
    void anUnknownKeyIsAProblem() {
        assertTrue(problems("vipkeeper.bgp { vips = [\"198.18.0.100\"], devise = x }\n").get(0).startsWith("bgp.conf:1: "));
    }
}
