package io.vipkeeper.appliance.ipvs.genl;

import static io.vipkeeper.appliance.ipvs.genl.Ipvs.*;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.BackendTunnel;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.ipvs.IpvsInfo;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.ipvs.IpvsTimeouts;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.vrrp.linux.netlink.GenericNetlink;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes IPVS dump replies (cmd NEW_SERVICE / NEW_DEST) into the table model. Unknown attributes
 * are ignored (the kernel adds some over time); missing or short required ones raise
 * {@link NetlinkFormatException} so a strange reply is reported, never half-read.
 */
public final class IpvsReplies {
    private IpvsReplies() {
    }

    /** A service from one GET_SERVICE reply; also returns its stats through {@link #stats}. */
    public static ServiceSpec service(NetlinkMessage m) {
        NetlinkAttributes s = m.attributes(GenericNetlink.GENL_HDRLEN).nested(CMD_ATTR_SERVICE);
        boolean v6 = s.u16(SVC_ATTR_AF) == 10;
        ServiceKey key;
        if (s.has(SVC_ATTR_FWMARK) && s.u32(SVC_ATTR_FWMARK) != 0) {
            key = ServiceKey.ofFwmark(s.u32(SVC_ATTR_FWMARK), v6);
        } else {
            key = new ServiceKey(v6, s.u16(SVC_ATTR_PROTOCOL), s.address(SVC_ATTR_ADDR, v6 ? 16 : 4), s.be16(SVC_ATTR_PORT),
                    0);
        }
        byte[] flags = s.bytes(SVC_ATTR_FLAGS).orElseThrow(() -> new NetlinkFormatException("service without flags"));
        if (flags.length < 4) {
            throw new NetlinkFormatException("service flags of " + flags.length + " bytes");
        }
        int f = ByteBuffer.wrap(flags).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        return new ServiceSpec(key, s.string(SVC_ATTR_SCHED_NAME), f, (int) s.u32(SVC_ATTR_TIMEOUT),
                v6 ? s.u32(SVC_ATTR_NETMASK) : s.be32(SVC_ATTR_NETMASK));
    }

    /** The traffic counters of a service reply (STATS64 if present, else STATS). */
    public static TrafficCounters serviceStats(NetlinkMessage m) {
        return stats(m.attributes(GenericNetlink.GENL_HDRLEN).nested(CMD_ATTR_SERVICE), SVC_ATTR_STATS64,
                SVC_ATTR_STATS);
    }

    /** A destination from one GET_DEST reply. */
    public static ActualBackend dest(NetlinkMessage m, boolean serviceIpv6) {
        NetlinkAttributes d = m.attributes(GenericNetlink.GENL_HDRLEN).nested(CMD_ATTR_DEST);
        boolean v6 = d.has(DEST_ATTR_ADDR_FAMILY) ? d.u16(DEST_ATTR_ADDR_FAMILY) == 10 : serviceIpv6;
        BackendKey key = new BackendKey(d.address(DEST_ATTR_ADDR, v6 ? 16 : 4), d.be16(DEST_ATTR_PORT));
        int fwd = (int) (d.u32(DEST_ATTR_FWD_METHOD) & 0x7);
        Forwarding forwarding = IpvsCodes.forwarding(fwd);
        BackendSpec spec = new BackendSpec(key, forwarding, (int) d.u32(DEST_ATTR_WEIGHT), (int) d.u32(DEST_ATTR_U_THRESH),
                (int) d.u32(DEST_ATTR_L_THRESH), tunnel(d));
        return new ActualBackend(spec, d.u32(DEST_ATTR_ACTIVE_CONNS), d.u32(DEST_ATTR_INACT_CONNS),
                d.has(DEST_ATTR_PERSIST_CONNS) ? d.u32(DEST_ATTR_PERSIST_CONNS) : 0,
                stats(d, DEST_ATTR_STATS64, DEST_ATTR_STATS));
    }

    /** The tunnel attributes (kernels before 5.3 send none: plain ipip). */
    private static BackendTunnel tunnel(NetlinkAttributes d) {
        if (!d.has(DEST_ATTR_TUN_TYPE)) {
            return BackendTunnel.IPIP;
        }
        int type = d.u8(DEST_ATTR_TUN_TYPE);
        int flags = d.has(DEST_ATTR_TUN_FLAGS) ? d.u16(DEST_ATTR_TUN_FLAGS) : 0;
        return new BackendTunnel(IpvsCodes.tunnelType(type), d.has(DEST_ATTR_TUN_PORT) ? d.be16(DEST_ATTR_TUN_PORT) : 0,
                IpvsCodes.tunnelChecksum(flags));
    }

    private static TrafficCounters stats(NetlinkAttributes parent, int stats64, int stats32) {
        if (parent.has(stats64)) {
            NetlinkAttributes s = parent.nested(stats64);
            return new TrafficCounters(s.u64(STATS_ATTR_CONNS), s.u64(STATS_ATTR_INPKTS), s.u64(STATS_ATTR_OUTPKTS),
                    s.u64(STATS_ATTR_INBYTES), s.u64(STATS_ATTR_OUTBYTES));
        }
        if (parent.has(stats32)) {
            NetlinkAttributes s = parent.nested(stats32);
            return new TrafficCounters(s.u32(STATS_ATTR_CONNS), s.u32(STATS_ATTR_INPKTS), s.u32(STATS_ATTR_OUTPKTS),
                    s.u64(STATS_ATTR_INBYTES), s.u64(STATS_ATTR_OUTBYTES));
        }
        return TrafficCounters.ZERO;
    }

    /** The GET_INFO reply. */
    public static IpvsInfo info(NetlinkMessage m) {
        NetlinkAttributes a = m.attributes(GenericNetlink.GENL_HDRLEN);
        return new IpvsInfo(a.u32(INFO_ATTR_VERSION), a.u32(INFO_ATTR_CONN_TAB_SIZE));
    }

    /** The GET_CONFIG reply. */
    public static IpvsTimeouts timeouts(NetlinkMessage m) {
        NetlinkAttributes a = m.attributes(GenericNetlink.GENL_HDRLEN);
        return new IpvsTimeouts(a.u32(CMD_ATTR_TIMEOUT_TCP), a.u32(CMD_ATTR_TIMEOUT_TCP_FIN),
                a.u32(CMD_ATTR_TIMEOUT_UDP));
    }

    /** One GET_DAEMON dump reply. */
    public static SyncDaemonState daemon(NetlinkMessage m) {
        NetlinkAttributes d = m.attributes(GenericNetlink.GENL_HDRLEN).nested(CMD_ATTR_DAEMON);
        java.util.Optional<java.net.InetAddress> group = d.has(DAEMON_ATTR_MCAST_GROUP6)
                ? java.util.Optional.of(d.address(DAEMON_ATTR_MCAST_GROUP6, 16))
                : d.has(DAEMON_ATTR_MCAST_GROUP) ? java.util.Optional.of(d.address(DAEMON_ATTR_MCAST_GROUP, 4))
                : java.util.Optional.empty();
        return new SyncDaemonState((int) d.u32(DAEMON_ATTR_STATE), d.string(DAEMON_ATTR_MCAST_IFN),
                (int) d.u32(DAEMON_ATTR_SYNC_ID), d.has(DAEMON_ATTR_SYNC_MAXLEN) ? d.u16(DAEMON_ATTR_SYNC_MAXLEN) : 0,
                group, d.has(DAEMON_ATTR_MCAST_PORT) ? d.u16(DAEMON_ATTR_MCAST_PORT) : 0,
                d.has(DAEMON_ATTR_MCAST_TTL) ? d.u8(DAEMON_ATTR_MCAST_TTL) : 0);
    }
}
