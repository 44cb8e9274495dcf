package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forwarding = stateless-nat}: nftables only, UDP only, IPv4 or IPv6, one address and port, sh or
 * mh, every real server alike; anything else is a problem at its line.
 */
class StatelessNatConfigTest {
    private static final String OK = String.join("\n",
            "vipkeeper.ipvs.virtual-servers.dns { address = \"198.18.112.100\", port = 53, protocol = udp",
            "  scheduler = sh, scheduler-flags = [sh-port], forwarding = stateless-nat",
            "  real-servers = [{ address = \"198.18.112.13\", port = 5353 }] }");

    @TempDir
    Path dir;

    private List<String> problems(Capabilities caps, String... lines) {
        Path f = ConfigFiles.write(dir, "st.conf", String.join("\n", lines) + "\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(f, ConfigCache.NONE, choice -> caps));
        return e.problems().stream().map(p -> Path.of(p.file()).getFileName() + ":" + p.line() + ": " + p.message()).toList();
    }

    @Test
    void aUdpServiceWithAHashSchedulerIsAcceptedOnNftables() throws Exception {
        Path f = ConfigFiles.write(dir, "ok.conf", OK + "\n");
        Settings s = ConfigLoader.load(f, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
        assertEquals(Forwarding.STATELESS_NAT, s.ipvs().virtualServers().get("dns").realServers().get(0).forwarding());
    }

    @Test
    void theSampleLoadsOnNftables() throws Exception {
        Path sample = Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"), "samples", "nftables-stateless.conf");
        Settings s = ConfigLoader.load(sample, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
        assertEquals(Forwarding.STATELESS_NAT, s.ipvs().virtualServers().get("dns").forwarding());
    }

    @Test
    void ipvsRefusesItAtTheForwardingLineWithTheReason() {
        assertEquals(List.of("st.conf:2: vipkeeper.ipvs.virtual-servers.dns.forwarding: the ipvs data plane has no"
                + " forwarding stateless-nat: it rewrites UDP without connection tracking in netdev ingress, which only the"
                + " nftables engine does; set data-plane = nftables (auto takes ipvs where the kernel has it) or use nat"),
                problems(IpvsKernel.CAPABILITIES, OK));
    }

    /** Two services sharing a real server: replies are turned back by source alone (breaker review). */
    @Test
    void aRealServerServesOneStatelessService() {
        String twin = OK + "\n" + OK.replace("virtual-servers.dns", "virtual-servers.dns2").replace(".100", ".101");
        List<String> p = problems(NftablesDataPlane.CAPABILITIES, twin.split("\n"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("st.conf:4: vipkeeper.ipvs.virtual-servers.dns2: real server 198.18.112.13:5353 is"
                + " also one of stateless-nat virtual server dns"), p.toString());
    }

    @Test
    void tcpIsAProblemAtTheProtocolLine() {
        assertEquals(List.of("st.conf:1: vipkeeper.ipvs.virtual-servers.dns.protocol: stateless-nat forwards UDP only"
                + " (protocol = udp): a tcp connection needs the connection state it does without; use nat"),
                problems(NftablesDataPlane.CAPABILITIES, OK.replace("protocol = udp", "protocol = tcp")));
    }

    @Test
    void theDefaultProtocolTcpIsAProblemAtTheForwardingLine() {
        assertEquals(List.of("st.conf:2: vipkeeper.ipvs.virtual-servers.dns.forwarding: stateless-nat forwards UDP only"
                + " (protocol = udp): a tcp connection needs the connection state it does without; use nat"),
                problems(NftablesDataPlane.CAPABILITIES, OK.replace(", protocol = udp", "")));
    }

    @Test
    void roundRobinAndMixedForwardingAreProblems() {
        assertEquals(List.of("st.conf:2: vipkeeper.ipvs.virtual-servers.dns.scheduler: stateless-nat with scheduler rr:"
                + " without connection state only a hash of the client keeps a flow on one real server; use sh or mh (with"
                + " sh-port or mh-port to spread one client's ports)"),
                problems(NftablesDataPlane.CAPABILITIES, OK.replace("scheduler = sh, scheduler-flags = [sh-port]", "scheduler = rr")));
        assertEquals(List.of("st.conf:3: vipkeeper.ipvs.virtual-servers.dns.real-servers: stateless-nat forwards all real"
                + " servers of a virtual server alike; give them all stateless-nat"),
                problems(NftablesDataPlane.CAPABILITIES, OK.replace("port = 5353 }]", "port = 5353 }, { address ="
                        + " \"198.18.112.14\", forwarding = nat }]")));
    }

    @Test
    void anIpv6ServiceIsAcceptedAndARealServerOfTheOtherFamilyIsAProblem() throws Exception {
        String v6 = OK.replace("198.18.112.100", "2001:db8:112::100").replace("198.18.112.13", "2001:db8:112::13");
        Path f = ConfigFiles.write(dir, "v6.conf", v6 + "\n");
        Settings s = ConfigLoader.load(f, ConfigCache.NONE, choice -> NftablesDataPlane.CAPABILITIES);
        assertEquals(Forwarding.STATELESS_NAT, s.ipvs().virtualServers().get("dns").realServers().get(0).forwarding());
        List<String> p = problems(NftablesDataPlane.CAPABILITIES, OK.replace("198.18.112.100", "2001:db8:112::100"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("st.conf:3: "), p.toString());
    }
}
