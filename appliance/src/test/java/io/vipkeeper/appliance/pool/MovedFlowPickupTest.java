package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the daemon raises IPVS's sloppy sysctls (the writing itself is IpvsBgpSloppyVmTest's). */
class MovedFlowPickupTest {
    @Test
    void bgpVipsOnIpvsWantBothSloppySysctls() {
        assertEquals(Map.of(MovedFlowPickup.SLOPPY_TCP, 1, MovedFlowPickup.SLOPPY_SCTP, 1),
                MovedFlowPickup.wanted(true, "ipvs"));
        assertEquals("net.ipv4.vs.sloppy_tcp", MovedFlowPickup.SLOPPY_TCP.name());
        assertEquals("net/ipv4/vs/sloppy_sctp", MovedFlowPickup.SLOPPY_SCTP.relativePath());
    }

    @Test
    void vrrpModeLeavesThemAlone() {
        assertEquals(Map.of(), MovedFlowPickup.wanted(false, "ipvs"));
    }

    @Test
    void nftablesPicksUpMovedFlowsInConntrackWithoutThem() {
        assertEquals(Map.of(), MovedFlowPickup.wanted(true, "nftables"));
        assertEquals(Map.of(), MovedFlowPickup.wanted(false, "nftables"));
    }

    @Test
    void withoutBgpVipsKeepingWritesNothing() {
        // Would throw on a host without IPVS (no /proc/sys/net/ipv4/vs) if it read or wrote a sysctl.
        new MovedFlowPickup().keep(false, "ipvs");
        new MovedFlowPickup().keep(true, "nftables");
    }
}
