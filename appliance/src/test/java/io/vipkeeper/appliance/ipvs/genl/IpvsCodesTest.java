package io.vipkeeper.appliance.ipvs.genl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.TunnelChecksum;
import io.vipkeeper.appliance.dataplane.TunnelType;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import org.junit.jupiter.api.Test;

/** The kernel's numbers for the neutral names, pinned to include/uapi/linux/ip_vs.h, both ways. */
class IpvsCodesTest {
    @Test
    void forwardingIsMasqTunnelDroute() {
        assertEquals(0, IpvsCodes.forwarding(Forwarding.NAT));
        assertEquals(2, IpvsCodes.forwarding(Forwarding.TUN));
        assertEquals(3, IpvsCodes.forwarding(Forwarding.DR));
        for (Forwarding f : java.util.EnumSet.complementOf(java.util.EnumSet.of(Forwarding.STATELESS_NAT))) {
            assertEquals(f, IpvsCodes.forwarding(IpvsCodes.forwarding(f)));
        }
        // nftables' own: the IPVS engine refuses it before it gets to a number.
        assertThrows(IllegalArgumentException.class, () -> IpvsCodes.forwarding(Forwarding.STATELESS_NAT));
        // 1 is IP_VS_CONN_F_LOCALNODE, which userspace never sets.
        assertThrows(NetlinkFormatException.class, () -> IpvsCodes.forwarding(1));
    }

    @Test
    void tunnelTypesAndChecksumsAreTheKernelsNumbers() {
        assertEquals(0, IpvsCodes.tunnelType(TunnelType.IPIP));
        assertEquals(1, IpvsCodes.tunnelType(TunnelType.GUE));
        assertEquals(2, IpvsCodes.tunnelType(TunnelType.GRE));
        assertEquals(0, IpvsCodes.tunnelChecksum(TunnelChecksum.NONE));
        assertEquals(1, IpvsCodes.tunnelChecksum(TunnelChecksum.CSUM));
        assertEquals(2, IpvsCodes.tunnelChecksum(TunnelChecksum.REMCSUM));
        for (TunnelType t : TunnelType.values()) {
            assertEquals(t, IpvsCodes.tunnelType(IpvsCodes.tunnelType(t)));
        }
        for (TunnelChecksum c : TunnelChecksum.values()) {
            assertEquals(c, IpvsCodes.tunnelChecksum(IpvsCodes.tunnelChecksum(c)));
        }
        assertThrows(NetlinkFormatException.class, () -> IpvsCodes.tunnelType(3));
        assertThrows(NetlinkFormatException.class, () -> IpvsCodes.tunnelChecksum(3));
    }
}
