package io.vipkeeper.appliance.nftables;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel's neighbour tables, IPv4 (ARP) and IPv6 (neighbour discovery), dumped over rtnetlink
 * (RTM_GETNEIGH, AF_UNSPEC: both in one dump) in the calling thread's network namespace: what
 * direct routing rewrites a frame's destination MAC to.
 */
final class Neighbours {
    /** linux/rtnetlink.h. */
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_GETNEIGH = 30;
    /** linux/neighbour.h: NDA_DST, NDA_LLADDR. */
    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;
    /** sizeof(struct ndmsg). */
    static final int NDMSG = 12;
    /**
     * NUD states whose link-layer address is one to use: REACHABLE, STALE, DELAY, PROBE, NOARP,
     * PERMANENT. STALE is the usual state of a neighbour nobody talked to lately and still right
     * (the kernel checks it on next use); INCOMPLETE and FAILED have none.
     */
    static final int USABLE = 0x02 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_UNSPEC = 0;

    private Neighbours() {
    }

    /** A neighbour: the interface it is on and its MAC (6 bytes). */
    record Entry(int ifindex, byte[] mac) {
    }

    /** Every IPv4 and IPv6 neighbour with a usable MAC, by address. */
    static Map<InetAddress, Entry> dump() {
        try (NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 1000)) {
            int seq = NetlinkSocket.nextSeq();
            byte[] req = new NetlinkMessageBuilder(RTM_GETNEIGH, NetlinkMessageBuilder.NLM_F_REQUEST
                    | NetlinkMessageBuilder.NLM_F_DUMP).u8(AF_UNSPEC).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0).build(seq);
            Map<InetAddress, Entry> out = new HashMap<>();
            for (NetlinkMessage m : s.request(req, seq, "GETNEIGH dump")) {
                parse(m, out);
            }
            return out;
        }
    }

    /** Adds {@code m} to {@code out} when it is an IPv4 or IPv6 neighbour with a usable 6-byte MAC. */
    static void parse(NetlinkMessage m, Map<InetAddress, Entry> out) {
        if (m.type() != RTM_NEWNEIGH || m.payload().length < NDMSG) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(m.payload()).order(ByteOrder.LITTLE_ENDIAN);
        int family = b.get(0) & 0xff;
        int ifindex = b.getInt(4);
        int state = b.getShort(8) & 0xffff;
        int length = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
        if (length < 0 || (state & USABLE) == 0) {
            return;
        }
        NetlinkAttributes a = m.attributes(NDMSG);
        byte[] dst = a.bytes(NDA_DST).orElse(null);
        byte[] mac = a.bytes(NDA_LLADDR).orElse(null);
        if (dst == null || dst.length != length || mac == null || mac.length != 6) {
            return;
        }
        try {
            out.put(InetAddress.getByAddress(dst), new Entry(ifindex, mac));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four or sixteen bytes always make an address
        }
    }
}
