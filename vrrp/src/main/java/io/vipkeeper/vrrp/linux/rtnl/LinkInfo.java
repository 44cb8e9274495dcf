package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A link as RTM_NEWLINK describes it.
 *
 * @param index ifindex
 * @param name interface name
 * @param mac hardware address (empty for loopback-like links)
 * @param flags IFF_* flags
 * @param operstate IFLA_OPERSTATE (6 = up, 0 = unknown)
 */
public record LinkInfo(int index, String name, byte[] mac, int flags, int operstate) {

    /**
     * Up, running and operationally up: able to carry adverts (reference §2). Drivers that do not
     * track an operational state (dummy, some tun and virtual NICs) report UNKNOWN, which the
     * kernel's operstates documentation says to treat as up; keepalived looks at the flags alone.
     */
    public boolean usable() {
        return (flags & Rtnl.IFF_UP) != 0 && (flags & Rtnl.IFF_RUNNING) != 0
                && (operstate == Rtnl.IF_OPER_UP || operstate == Rtnl.IF_OPER_UNKNOWN);
    }

    /** Parses RTM_NEWLINK / RTM_DELLINK. */
    public static LinkInfo parse(NetlinkMessage m) {
        if (m.payload().length < Rtnl.IFINFOMSG) {
            throw new NetlinkFormatException("ifinfomsg of " + m.payload().length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(m.payload()).order(ByteOrder.LITTLE_ENDIAN);
        int index = b.getInt(4);
        int flags = b.getInt(8);
        NetlinkAttributes a = m.attributes(Rtnl.IFINFOMSG);
        String name = a.has(Rtnl.IFLA_IFNAME) ? a.string(Rtnl.IFLA_IFNAME) : "";
        byte[] mac = a.bytes(Rtnl.IFLA_ADDRESS).orElse(new byte[0]);
        int oper = a.has(Rtnl.IFLA_OPERSTATE) ? a.u8(Rtnl.IFLA_OPERSTATE) : 0;
        return new LinkInfo(index, name, mac, flags, oper);
    }
}
