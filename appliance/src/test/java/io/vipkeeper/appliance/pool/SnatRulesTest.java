package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.realserver.Sysctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The masquerade rules match only each SNAT service's NAT real servers and ports. */
class SnatRulesTest {
    @TempDir
    Path dir;

    private IpvsSettings settings(String text) throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, text);
        return ConfigLoader.load(f).ipvs();
    }

    @Test
    void oneRulePerSnatServiceWithItsRealServersAndPorts() throws Exception {
        IpvsSettings s = settings("vipkeeper.ipvs.virtual-servers {\n"
                + " web { address = \"198.18.0.100\", port = 80, snat = true, real-servers = ["
                + "{ address = \"198.18.0.13\", port = 8080 }, { address = \"198.18.0.14\", port = 8081 },"
                + "{ address = \"198.18.0.15\", forwarding = dr }] }\n"
                + " dns { address = \"198.18.0.100\", port = 53, protocol = udp, real-servers = [{ address = \"198.18.0.13\" }] }\n"
                + " v6 { address = \"2001:2::100\", port = 80, snat = true, real-servers = [{ address = \"2001:2::13\" }] }\n"
                + "}\n");
        assertEquals(List.of(
                "ip daddr . tcp dport { 198.18.0.13 . 8080, 198.18.0.14 . 8081 } ct direction original masquerade"
                        + " comment \"web\"",
                "ip6 daddr . tcp dport { 2001:2::13 . 80 } ct direction original masquerade comment \"v6\""),
                SnatRules.rules(s));
        assertEquals(Map.of(new Sysctl("net.ipv4.ip_forward"), 1, new Sysctl("net.ipv4.vs.conntrack"), 1,
                new Sysctl("net.ipv6.conf.all.forwarding"), 1), KernelNatSetup.sysctls(s));
    }

    @Test
    void aSnatAddressTranslatesToItInsteadOfMasquerading() throws Exception {
        IpvsSettings s = settings("vipkeeper.ipvs.virtual-servers {\n"
                + " web { address = \"198.18.0.100\", port = 80, snat = true, snat-address = \"198.18.0.100\","
                + " real-servers = [{ address = \"198.18.0.13\" }] }\n"
                + " v6 { address = \"2001:2::100\", port = 80, snat = true, snat-address = \"2001:2::100\","
                + " real-servers = [{ address = \"2001:2::13\" }] }\n"
                + "}\n");
        assertEquals(List.of(
                "ip daddr . tcp dport { 198.18.0.13 . 80 } ct direction original fib saddr type != local snat ip to 198.18.0.100 comment \"web\"",
                "ip6 daddr . tcp dport { 2001:2::13 . 80 } ct direction original fib saddr type != local snat ip6 to 2001:2::100 comment \"v6\""),
                SnatRules.rules(s));
    }

    @Test
    void aSnatAddressNeedsSnatAndTheServicesFamily() {
        for (String[] c : new String[][] {
                {"snat-address = \"198.18.0.100\"", "snat-address: applies only with snat = true"},
                {"snat = true, snat-address = \"2001:2::1\"", "snat-address: 2001:2::1 is not of the service's family (IPv4)"},
                {"snat = true, snat-address = \"lb1\"", "snat-address: \"lb1\" is not an IPv4 or IPv6 address"},
                {"snat = true, snat-address = \"0.0.0.0\"", "snat-address: 0.0.0.0 is not a unicast address"},
                {"snat = true, snat-address = \"224.0.0.1\"", "snat-address: 224.0.0.1 is not a unicast address"},
                {"snat = true, snat-address = \"127.0.0.1\"", "snat-address: 127.0.0.1 is not a unicast address"},
                {"snat = true, snat-address = \"255.255.255.255\"", "snat-address: 255.255.255.255 is not a unicast"}}) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> settings(
                    "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80, " + c[0]
                            + ", real-servers = [{ address = \"198.18.0.13\" }] }\n"));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void theSorryServerIsMasqueradedToo() throws Exception {
        IpvsSettings s = settings("vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,"
                + " snat = true, sorry-server = \"198.18.0.99:8080\", real-servers = [{ address = \"198.18.0.13\" },"
                + " { address = \"198.18.0.99\", port = 8080 }] }\n");
        assertEquals(List.of("ip daddr . tcp dport { 198.18.0.13 . 80, 198.18.0.99 . 8080 } ct direction original"
                + " masquerade comment \"web\""), SnatRules.rules(s));
    }

    @Test
    void aRealServerStillInTheKernelKeepsItsRuleWhileItDrains() throws Exception {
        IpvsSettings s = settings("vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,"
                + " snat = true, real-servers = [{ address = \"198.18.0.13\" }] }\n");
        var key = s.virtualServers().get("web").key();
        var gone = new io.vipkeeper.appliance.dataplane.BackendKey(TableReconcilerTest.ip("198.18.0.14"), 80);
        var kept = new io.vipkeeper.appliance.dataplane.BackendKey(TableReconcilerTest.ip("198.18.0.13"), 80);
        var kernel = Map.of(key, new io.vipkeeper.appliance.dataplane.ActualService(DesiredServices.spec(
                s.virtualServers().get("web")), Map.of(
                        kept, new io.vipkeeper.appliance.dataplane.ActualBackend(new io.vipkeeper.appliance.dataplane.BackendSpec(kept,
                                io.vipkeeper.appliance.dataplane.Forwarding.NAT, 1, 0, 0), 0, 0, 0,
                                io.vipkeeper.appliance.dataplane.TrafficCounters.ZERO),
                        gone, new io.vipkeeper.appliance.dataplane.ActualBackend(new io.vipkeeper.appliance.dataplane.BackendSpec(gone,
                                io.vipkeeper.appliance.dataplane.Forwarding.NAT, 0, 0, 0), 1, 0, 0,
                                io.vipkeeper.appliance.dataplane.TrafficCounters.ZERO)),
                io.vipkeeper.appliance.dataplane.TrafficCounters.ZERO));
        String rule = SnatRules.rules(s, kernel).get(0);
        assertEquals(true, rule.contains("198.18.0.13 . 80") && rule.contains("198.18.0.14 . 80"), rule);
        assertEquals(List.of("ip daddr . tcp dport { 198.18.0.13 . 80 } ct direction original masquerade comment"
                + " \"web\""), SnatRules.rules(s, Map.of()));
    }

    @Test
    void theScriptReplacesTheWholeTableInOneTransaction() {
        assertEquals("table inet vipkeeper {}\ndelete table inet vipkeeper\n"
                + "table inet vipkeeper {\n  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n    RULE\n  }\n}\n",
                SnatRules.script(List.of("RULE")));
        assertEquals("table inet vipkeeper {}\ndelete table inet vipkeeper\n", SnatRules.script(List.of()));
    }
}
