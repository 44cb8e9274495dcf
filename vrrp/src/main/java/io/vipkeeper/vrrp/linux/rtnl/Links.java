package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Link queries over rtnetlink (RTM_GETLINK). */
public final class Links {
    private final NetlinkSocket socket;

    /** Queries through a NETLINK_ROUTE socket. */
    public Links(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Every link (a dump). */
    public List<LinkInfo> all() {
        int seq = NetlinkSocket.nextSeq();
        byte[] req = new NetlinkMessageBuilder(Rtnl.RTM_GETLINK, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_DUMP).u8(0).u8(0).u16(0).u32(0).u32(0).u32(0).build(seq);
        List<LinkInfo> out = new ArrayList<>();
        for (NetlinkMessage m : socket.request(req, seq, "GETLINK dump")) {
            if (m.type() == Rtnl.RTM_NEWLINK) {
                out.add(LinkInfo.parse(m));
            }
        }
        return out;
    }

    /** The link called {@code name}, if it exists. */
    public Optional<LinkInfo> byName(String name) {
        int seq = NetlinkSocket.nextSeq();
        byte[] req = new NetlinkMessageBuilder(Rtnl.RTM_GETLINK, NetlinkMessageBuilder.NLM_F_REQUEST)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0).attrString(Rtnl.IFLA_IFNAME, name).build(seq);
        try {
            List<NetlinkMessage> r = socket.request(req, seq, "GETLINK " + name);
            return r.isEmpty() ? Optional.empty() : Optional.of(LinkInfo.parse(r.get(0)));
        } catch (NetlinkException e) {
            if (e.is(Errno.ENODEV)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
