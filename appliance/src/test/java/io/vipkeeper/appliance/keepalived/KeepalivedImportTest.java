package io.vipkeeper.appliance.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping, one keepalived habit a case, read back from the HOCON written. */
class KeepalivedImportTest extends ImportTestBase {
    private static final String INSTANCE = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
            + " virtual_ipaddress {\n  198.19.10.100/24\n }\n";

    @Test
    void keepalivedsDefaultsThatDifferFromVipkeepersAreWrittenOut() throws Exception {
        Config c = run(INSTANCE + "}\n").getConfig("vrrp.instances.VI_1");
        assertEquals(2, c.getInt("version"));
        assertEquals(100, c.getInt("priority"));
        assertEquals("1s", c.getString("advert-interval"));
        assertTrue(result.complete());
    }

    @Test
    void aPositiveScriptWeightBecomesAHigherPriorityAndANegativeWeight() throws Exception {
        Config c = run("vrrp_script up {\n script /usr/bin/true\n weight 10\n}\n" + INSTANCE
                + " priority 100\n track_script {\n  up\n }\n}\n");
        assertEquals(110, c.getInt("vrrp.instances.VI_1.priority"));
        assertEquals(-10, c.getInt("vrrp.scripts.up.weight"));
        assertEquals(List.of("up"), c.getStringList("vrrp.instances.VI_1.track-scripts"));
    }

    @Test
    void aWeightGivenInTrackScriptMakesACopyOfTheScript() throws Exception {
        Config c = run("vrrp_script chk {\n script \"/usr/bin/test -e /run\"\n weight -5\n}\n" + INSTANCE
                + " track_script {\n  chk weight -30\n }\n}\n");
        assertEquals(-30, c.getInt("vrrp.scripts.chk-weight-minus-30.weight"));
        assertEquals(List.of("/usr/bin/test", "-e", "/run"), c.getStringList("vrrp.scripts.chk-weight-minus-30.command"));
    }

    @Test
    void thePasswordIsCarriedButNeverInANote() throws Exception {
        Config c = run(INSTANCE + " authentication {\n  auth_type PASS\n  auth_pass longsecretpassword\n }\n}\n");
        assertEquals("longsecr", c.getString("vrrp.instances.VI_1.authentication.password"));
        assertEquals("pass", c.getString("vrrp.instances.VI_1.authentication.type"));
        assertTrue(notes().stream().noneMatch(n -> n.contains("longsecr")), notes().toString());
        assertTrue(notes().contains("k.conf:9: auth_pass: keepalived falls back: longer than 8 characters: keepalived "
                + "uses the first 8, and so does the import"), notes().toString());
    }

    @Test
    void caseKeepalivedIgnoresInProtocolIsAcceptedButAnUnknownLbKindRunsAsNat() throws Exception {
        Config c = run("virtual_server 198.19.10.100 53 {\n protocol udp\n lb_kind dr\n"
                + " real_server 198.19.10.11 53 {\n }\n}\n");
        Config vs = c.getConfig("ipvs.virtual-servers.vs-198-19-10-100-53");
        assertEquals("udp", vs.getString("protocol"));
        assertFalse(vs.hasPath("forwarding"));
        assertEquals("wlc", vs.getString("scheduler"));
        assertEquals("none", vs.getString("health-check.type"));
        assertEquals(List.of("k.conf:3: lb_kind: keepalived falls back: \"dr\" is not NAT, DR or TUN (keepalived "
                + "compares case-sensitively): keepalived runs NAT, and so does the import"), notes());
        assertTrue(result.complete());
    }

    @Test
    void severalUrlsAndAnMd5DigestAreReportedAndTheFirstPathIsChecked() throws Exception {
        Config c = run("virtual_server 198.19.10.100 80 {\n delay_loop 6\n real_server 198.19.10.11 80 {\n"
                + "  HTTP_GET {\n   url {\n    path /a\n    digest 0123456789abcdef0123456789abcdef\n   }\n"
                + "   url {\n    path /b\n   }\n   retry 2\n  }\n }\n}\n");
        Config hc = c.getConfig("ipvs.virtual-servers.vs-198-19-10-100-80.health-check");
        assertEquals("http", hc.getString("type"));
        assertEquals("/a", hc.getString("http.path"));
        assertEquals(List.of("200-299"), hc.getStringList("http.status"));
        assertEquals(3, hc.getInt("fall"));
        assertEquals("6s", hc.getString("interval"));
        assertEquals("5s", hc.getString("timeout"));
        assertFalse(result.complete());
        assertEquals(List.of("k.conf:7: digest: keepalived compares the body's MD5; vipkeeper compares SHA-256: set "
                        + "http.body-sha256 to the output of `curl -s URL | sha256sum` for this path",
                "k.conf:9: url: vipkeeper checks one URL a real server (the first is carried): serve one health URL "
                        + "that covers the others"), notes());
    }

    @Test
    void aRealServerThatChecksOtherwiseGetsItsOwnHealthCheck() throws Exception {
        Config c = run("virtual_server 198.19.10.100 80 {\n real_server 198.19.10.11 80 {\n  TCP_CHECK {\n  }\n }\n"
                + " real_server 198.19.10.12 80 {\n  MISC_CHECK {\n   misc_path \"/usr/bin/test -e /run\"\n  }\n }\n}\n");
        Config vs = c.getConfig("ipvs.virtual-servers.vs-198-19-10-100-80");
        assertEquals("tcp", vs.getString("health-check.type"));
        Config second = vs.getConfigList("real-servers").get(1);
        assertEquals("script", second.getString("health-check.type"));
        assertEquals("60s", second.getString("health-check.timeout"));
        assertFalse(vs.getConfigList("real-servers").get(0).hasPath("health-check"));
    }

    @Test
    void aServerGroupIsOneVirtualServerPerMember() throws Exception {
        Config c = run("virtual_server_group G {\n 198.19.10.101-103 80\n fwmark 9\n}\n"
                + "virtual_server group G {\n real_server 198.19.10.11 80 {\n }\n}\n");
        assertEquals(List.of("fwmark-9", "vs-198-19-10-101-80", "vs-198-19-10-102-80", "vs-198-19-10-103-80"),
                c.getConfig("ipvs.virtual-servers").root().keySet().stream().sorted().toList());
    }

    @Test
    void weightsInASyncGroupAreIgnoredAsKeepalivedIgnoresThem() throws Exception {
        Config c = run(INSTANCE + " track_interface {\n  eth1 weight -20\n }\n}\n"
                + "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n virtual_ipaddress {\n  198.19.10.101\n }\n}\n"
                + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n");
        assertEquals(List.of("eth1"), c.getStringList("vrrp.instances.VI_1.track-interfaces"));
        assertEquals(List.of("VI_1", "VI_2"), c.getStringList("vrrp.sync-groups.G"));
    }

    @Test
    void anIpv6InstanceRunsVersion3AsInKeepalived() throws Exception {
        Config c = run("vrrp_instance V6 {\n interface eth0\n virtual_router_id 1\n advert_int 0.5\n"
                + " virtual_ipaddress {\n  2001:db8::1/64\n }\n}\n");
        assertEquals(3, c.getInt("vrrp.instances.V6.version"));
        assertEquals("500ms", c.getString("vrrp.instances.V6.advert-interval"));
    }

    @Test
    void anOutOfRangeSyncOptionDropsOnlyThatOptionAndATopLevelGlobalKeywordSaysWhereItBelongs() throws Exception {
        Config c = run("lvs_timeouts tcp 7200\nglobal_defs {\n lvs_sync_daemon eth0 VI_1 maxlen 70000 port 8850 ttl 2\n}\n"
                + INSTANCE + "}\n");
        assertFalse(c.hasPath("ipvs.timeouts"));
        assertFalse(c.hasPath("ipvs.sync-daemon.max-length"));
        assertEquals(List.of(8850, 2), List.of(c.getInt("ipvs.sync-daemon.port"), c.getInt("ipvs.sync-daemon.ttl")));
        assertEquals(List.of("k.conf:1: lvs_timeouts: keepalived falls back: belongs inside global_defs { }: keepalived"
                + " skips it here as an unknown keyword, and so does the import; move it into global_defs",
                "k.conf:3: lvs_sync_daemon: keepalived falls back: \"70000\" is not a number in 1..65507; keepalived"
                + " ignores its maxlen option and keeps its default, and so does the import"),
                notes().stream().filter(n -> n.contains("lvs_")).toList());
    }

    @Test
    void lvsTimeoutsAndTheSyncDaemonsOptionsAreCarried() throws Exception {
        Config c = run("global_defs {\n lvs_timeouts tcp 7200 tcpfin 0 udp 120 sctp 5\n"
                + " lvs_sync_daemon eth0 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 239.0.0.81\n}\n" + INSTANCE + "}\n");
        assertEquals("7200s", c.getString("ipvs.timeouts.tcp"));
        assertFalse(c.hasPath("ipvs.timeouts.tcp-fin"), "0 leaves the kernel's value, in keepalived too");
        assertEquals("120s", c.getString("ipvs.timeouts.udp"));
        Config sync = c.getConfig("ipvs.sync-daemon");
        assertEquals(List.of(7, 1400, 8849, 2), List.of(sync.getInt("sync-id"), sync.getInt("max-length"),
                sync.getInt("port"), sync.getInt("ttl")));
        assertEquals("239.0.0.81", sync.getString("group"));
        // keepalived reads "sctp 5" as two unknown words, each reported.
        assertEquals(List.of("k.conf:2: lvs_timeouts sctp: keepalived falls back: not tcp, tcpfin or udp: keepalived"
                + " ignores the word, and so does the import", "k.conf:2: lvs_timeouts 5: keepalived falls back: not tcp,"
                + " tcpfin or udp: keepalived ignores the word, and so does the import"),
                notes().stream().filter(n -> n.contains("lvs_")).toList());
    }

    @Test
    void vipOptionsAndExcludedAddressesAreCarried() throws Exception {
        Config c = run("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n"
                + "  198.19.10.100/24\n  198.19.11.100/24 dev eth1 scope link label eth1:vip brd 198.19.11.255\n"
                + "  198.19.10.101/24 home\n }\n virtual_ipaddress_excluded {\n  2001:2::10/64\n"
                + "  198.19.12.100/32 dev eth1 scope 254\n }\n}\n").getConfig("vrrp.instances.VI_1");
        assertEquals("198.19.10.100/24", c.getList("virtual-ips").get(0).unwrapped());
        Config linked = ((com.typesafe.config.ConfigObject) c.getList("virtual-ips").get(1)).toConfig();
        assertEquals(List.of("198.19.11.100/24", "eth1", "link", "eth1:vip", "198.19.11.255"), List.of(
                linked.getString("address"), linked.getString("interface"), linked.getString("scope"),
                linked.getString("label"), linked.getString("broadcast")));
        assertEquals("198.19.10.101/24", c.getList("virtual-ips").get(2).unwrapped());
        assertEquals("2001:2::10/64", c.getList("excluded-ips").get(0).unwrapped());
        Config host = ((com.typesafe.config.ConfigObject) c.getList("excluded-ips").get(1)).toConfig();
        assertEquals("host", host.getString("scope"));
        assertEquals(2, c.getInt("version"), "an excluded IPv6 address is not advertised: VRRPv2 stays");
        assertEquals(List.of("k.conf:7: virtual_ipaddress home: vipkeeper puts addresses with dev, scope, label and brd"
                + " only (and never DAD on IPv6 VIPs, as keepalived's -nodad)"), notes());
    }
}
