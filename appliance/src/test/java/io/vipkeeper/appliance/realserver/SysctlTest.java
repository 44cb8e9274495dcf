package io.vipkeeper.appliance.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SysctlTest {
    @Test
    void namesAndFilesFollowSysctl8() {
        Sysctl s = Sysctl.ipv4Conf("eth0", "arp_ignore");
        assertEquals("net.ipv4.conf.eth0.arp_ignore", s.name());
        assertEquals("net/ipv4/conf/eth0/arp_ignore", s.relativePath());
    }

    @Test
    void aDotInAnInterfaceNameIsASlashInTheName() {
        Sysctl s = Sysctl.ipv4Conf("eth0.100", "arp_announce");
        assertEquals("net.ipv4.conf.eth0/100.arp_announce", s.name());
        assertEquals("net/ipv4/conf/eth0.100/arp_announce", s.relativePath());
    }

    @Test
    void onlyNamesThatStayUnderProcSysNet() {
        for (String bad : new String[] {"kernel.panic", "net", "net..x", "net.ipv4.conf.//.//.//.etc", "net.a b",
                "net./x", "netx.y"}) {
            assertThrows(RealServerException.class, () -> new Sysctl(bad), bad);
        }
        assertThrows(RealServerException.class, () -> Sysctl.ipv4Conf("..", "arp_ignore"));
    }
}
