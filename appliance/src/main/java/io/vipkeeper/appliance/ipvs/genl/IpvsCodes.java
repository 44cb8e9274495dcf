package io.vipkeeper.appliance.ipvs.genl;

import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.TunnelChecksum;
import io.vipkeeper.appliance.dataplane.TunnelType;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;

/**
 * The kernel's numbers for the neutral forwarding and tunnel names (include/uapi/linux/ip_vs.h),
 * both ways. They live here, not on the enums, because only the IPVS engine speaks them.
 */
final class IpvsCodes {
    private IpvsCodes() {
    }

    /** IPVS_DEST_ATTR_FWD_METHOD: IP_VS_CONN_F_MASQ, _TUNNEL, _DROUTE. */
    static int forwarding(Forwarding f) {
        return switch (f) {
            case NAT -> 0;
            case TUN -> 2;
            case DR -> 3;
            // Refused by IpvsKernel.CAPABILITIES before it gets here.
            case STATELESS_NAT -> throw new IllegalArgumentException("IPVS has no stateless-nat forwarding");
        };
    }

    /** The forwarding method of a dumped destination (the low three bits of its connection flags). */
    static Forwarding forwarding(int fwd) {
        return switch (fwd) {
            case 0 -> Forwarding.NAT;
            case 2 -> Forwarding.TUN;
            case 3 -> Forwarding.DR;
            default -> throw new NetlinkFormatException("forwarding method " + fwd + " is not NAT, TUN or DR");
        };
    }

    /** IPVS_DEST_ATTR_TUN_TYPE: IP_VS_CONN_F_TUNNEL_TYPE_IPIP, _GUE, _GRE. */
    static int tunnelType(TunnelType t) {
        return switch (t) {
            case IPIP -> 0;
            case GUE -> 1;
            case GRE -> 2;
        };
    }

    /** The tunnel type with kernel number {@code v}. */
    static TunnelType tunnelType(int v) {
        return switch (v) {
            case 0 -> TunnelType.IPIP;
            case 1 -> TunnelType.GUE;
            case 2 -> TunnelType.GRE;
            default -> throw new NetlinkFormatException("unknown tunnel type " + v);
        };
    }

    /** IPVS_DEST_ATTR_TUN_FLAGS: IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM, _CSUM, _REMCSUM. */
    static int tunnelChecksum(TunnelChecksum c) {
        return switch (c) {
            case NONE -> 0;
            case CSUM -> 1;
            case REMCSUM -> 2;
        };
    }

    /** The checksum mode with kernel number {@code v}. */
    static TunnelChecksum tunnelChecksum(int v) {
        return switch (v) {
            case 0 -> TunnelChecksum.NONE;
            case 1 -> TunnelChecksum.CSUM;
            case 2 -> TunnelChecksum.REMCSUM;
            default -> throw new NetlinkFormatException("unknown tunnel flags " + v);
        };
    }
}
