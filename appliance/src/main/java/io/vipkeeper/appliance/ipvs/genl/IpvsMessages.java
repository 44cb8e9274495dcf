package io.vipkeeper.appliance.ipvs.genl;

import static io.vipkeeper.appliance.ipvs.genl.Ipvs.*;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.BackendTunnel;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.ipvs.IpvsTimeouts;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes IPVS requests as keepalived's libipvs and ipvsadm do: the service identity (and, for
 * NEW/SET, every settable field) nested in CMD_ATTR_SERVICE, destinations in CMD_ATTR_DEST,
 * addresses as 16 zero-padded bytes, ports in network order. Exact bytes are pinned by tests
 * against the reference vectors.
 */
public final class IpvsMessages {
    private static final int DOIT = NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_ACK;
    private static final int DUMP = NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_DUMP;

    private IpvsMessages() {
    }

    private static int af(boolean ipv6) {
        return ipv6 ? 10 : 2;
    }

    private static void identity(NetlinkMessageBuilder b, ServiceKey key) {
        b.attrU16(SVC_ATTR_AF, af(key.ipv6()));
        if (key.isFwmark()) {
            b.attrU32(SVC_ATTR_FWMARK, key.fwmark());
        } else {
            b.attrU16(SVC_ATTR_PROTOCOL, key.protocol());
            b.attrBytes(SVC_ATTR_ADDR, key.address().getAddress(), 16);
            b.attrBe16(SVC_ATTR_PORT, key.port());
        }
    }

    private static NetlinkMessageBuilder service(int family, int cmd, int flags, ServiceSpec spec, boolean full) {
        NetlinkMessageBuilder b = NetlinkMessageBuilder.genl(family, flags, cmd, VERSION).beginNest(CMD_ATTR_SERVICE);
        identity(b, spec.key());
        if (full) {
            b.attrString(SVC_ATTR_SCHED_NAME, spec.scheduler());
            byte[] f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(spec.flags())
                    .putInt(0xffffffff).array();
            b.attrBytes(SVC_ATTR_FLAGS, f);
            b.attrU32(SVC_ATTR_TIMEOUT, spec.timeoutSeconds());
            // The kernel reads a be32 and, for IPv6, uses the raw word as a prefix length: so the
            // IPv4 mask goes in network order, the IPv6 length in host order (as ipvsadm sends it).
            if (spec.key().ipv6()) {
                b.attrU32(SVC_ATTR_NETMASK, spec.netmask());
            } else {
                b.attrBe32(SVC_ATTR_NETMASK, spec.netmask());
            }
        }
        return b.endNest();
    }

    /** IPVS_CMD_NEW_SERVICE. */
    public static byte[] newService(int family, ServiceSpec spec, int seq) {
        return service(family, CMD_NEW_SERVICE, DOIT, spec, true).build(seq);
    }

    /** IPVS_CMD_SET_SERVICE. */
    public static byte[] setService(int family, ServiceSpec spec, int seq) {
        return service(family, CMD_SET_SERVICE, DOIT, spec, true).build(seq);
    }

    /** IPVS_CMD_DEL_SERVICE. */
    public static byte[] delService(int family, ServiceKey key, int seq) {
        NetlinkMessageBuilder b = NetlinkMessageBuilder.genl(family, DOIT, CMD_DEL_SERVICE, VERSION)
                .beginNest(CMD_ATTR_SERVICE);
        identity(b, key);
        return b.endNest().build(seq);
    }

    /** IPVS_CMD_GET_SERVICE as a dump of every service. */
    public static byte[] dumpServices(int family, int seq) {
        return NetlinkMessageBuilder.genl(family, DUMP, CMD_GET_SERVICE, VERSION).build(seq);
    }

    /** IPVS_CMD_GET_DEST dump of one service. */
    public static byte[] dumpDests(int family, ServiceKey key, int seq) {
        NetlinkMessageBuilder b = NetlinkMessageBuilder.genl(family, DUMP, CMD_GET_DEST, VERSION)
                .beginNest(CMD_ATTR_SERVICE);
        identity(b, key);
        return b.endNest().build(seq);
    }

    private static byte[] dest(int family, int cmd, ServiceKey service, BackendSpec d, boolean full, int seq) {
        NetlinkMessageBuilder b = NetlinkMessageBuilder.genl(family, DOIT, cmd, VERSION).beginNest(CMD_ATTR_SERVICE);
        identity(b, service);
        b.endNest().beginNest(CMD_ATTR_DEST);
        boolean v6 = d.key().address().getAddress().length == 16;
        if (full) {
            b.attrU16(DEST_ATTR_ADDR_FAMILY, af(v6));
        }
        b.attrBytes(DEST_ATTR_ADDR, d.key().address().getAddress(), 16);
        b.attrBe16(DEST_ATTR_PORT, d.key().port());
        if (full) {
            b.attrU32(DEST_ATTR_FWD_METHOD, IpvsCodes.forwarding(d.forwarding()));
            b.attrU32(DEST_ATTR_WEIGHT, d.weight());
            b.attrU32(DEST_ATTR_U_THRESH, d.upperThreshold());
            b.attrU32(DEST_ATTR_L_THRESH, d.lowerThreshold());
            if (d.forwarding() == io.vipkeeper.appliance.dataplane.Forwarding.TUN && !d.tunnel().equals(BackendTunnel.IPIP)) {
                b.attrU8(DEST_ATTR_TUN_TYPE, IpvsCodes.tunnelType(d.tunnel().type()));
                b.attrBe16(DEST_ATTR_TUN_PORT, d.tunnel().port());
                b.attrU16(DEST_ATTR_TUN_FLAGS, IpvsCodes.tunnelChecksum(d.tunnel().checksum()));
            }
        }
        return b.endNest().build(seq);
    }

    /** IPVS_CMD_NEW_DEST. */
    public static byte[] newDest(int family, ServiceKey service, BackendSpec d, int seq) {
        return dest(family, CMD_NEW_DEST, service, d, true, seq);
    }

    /** IPVS_CMD_SET_DEST. */
    public static byte[] setDest(int family, ServiceKey service, BackendSpec d, int seq) {
        return dest(family, CMD_SET_DEST, service, d, true, seq);
    }

    /** IPVS_CMD_DEL_DEST (address and port only). */
    public static byte[] delDest(int family, ServiceKey service, BackendKey d, int seq) {
        return dest(family, CMD_DEL_DEST, service, new BackendSpec(d, io.vipkeeper.appliance.dataplane.Forwarding.NAT, 0, 0,
                0), false, seq);
    }

    /** IPVS_CMD_GET_INFO. */
    public static byte[] getInfo(int family, int seq) {
        return NetlinkMessageBuilder.genl(family, DOIT, CMD_GET_INFO, VERSION).build(seq);
    }

    /** IPVS_CMD_FLUSH: every service and destination of this network namespace. */
    public static byte[] flush(int family, int seq) {
        return NetlinkMessageBuilder.genl(family, DOIT, CMD_FLUSH, VERSION).build(seq);
    }

    /** IPVS_CMD_GET_CONFIG: the tcp, tcpfin and udp connection timeouts. */
    public static byte[] getConfig(int family, int seq) {
        return NetlinkMessageBuilder.genl(family, DOIT, CMD_GET_CONFIG, VERSION).build(seq);
    }

    /** IPVS_CMD_SET_CONFIG; a zero timeout leaves that one unchanged (as ipvsadm --set 0). */
    public static byte[] setConfig(int family, IpvsTimeouts t, int seq) {
        return NetlinkMessageBuilder.genl(family, DOIT, CMD_SET_CONFIG, VERSION)
                .attrU32(CMD_ATTR_TIMEOUT_TCP, t.tcpSeconds()).attrU32(CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFinSeconds())
                .attrU32(CMD_ATTR_TIMEOUT_UDP, t.udpSeconds()).build(seq);
    }

    /**
     * IPVS_CMD_NEW_DAEMON: starts the connection sync daemon in {@code d}'s state. Options left
     * at 0 are not sent, so the kernel takes its defaults (and a kernel before 4.3, which has no
     * options, accepts the request).
     */
    public static byte[] newDaemon(int family, SyncDaemonState d, int seq) {
        NetlinkMessageBuilder b = NetlinkMessageBuilder.genl(family, DOIT, CMD_NEW_DAEMON, VERSION)
                .beginNest(CMD_ATTR_DAEMON).attrU32(DAEMON_ATTR_STATE, d.state())
                .attrString(DAEMON_ATTR_MCAST_IFN, d.interfaceName()).attrU32(DAEMON_ATTR_SYNC_ID, d.syncId());
        if (d.maxLength() != 0) {
            b.attrU16(DAEMON_ATTR_SYNC_MAXLEN, d.maxLength());
        }
        d.group().ifPresent(g -> {
            // in_addr as it is on the wire (nla_get_in_addr); in6_addr likewise.
            if (g.getAddress().length == 4) {
                b.attrBytes(DAEMON_ATTR_MCAST_GROUP, g.getAddress());
            } else {
                b.attrBytes(DAEMON_ATTR_MCAST_GROUP6, g.getAddress());
            }
        });
        if (d.port() != 0) {
            b.attrU16(DAEMON_ATTR_MCAST_PORT, d.port());
        }
        if (d.ttl() != 0) {
            b.attrU8(DAEMON_ATTR_MCAST_TTL, d.ttl());
        }
        return b.endNest().build(seq);
    }

    /** IPVS_CMD_DEL_DAEMON: stops the sync daemon of {@code state} (master or backup). */
    public static byte[] delDaemon(int family, int state, int seq) {
        return NetlinkMessageBuilder.genl(family, DOIT, CMD_DEL_DAEMON, VERSION).beginNest(CMD_ATTR_DAEMON)
                .attrU32(DAEMON_ATTR_STATE, state).endNest().build(seq);
    }

    /** IPVS_CMD_GET_DAEMON dump: the running sync daemons. */
    public static byte[] dumpDaemons(int family, int seq) {
        return NetlinkMessageBuilder.genl(family, DUMP, CMD_GET_DAEMON, VERSION).build(seq);
    }

    /** The request that carries out {@code op}. */
    public static byte[] encode(int family, TableChange op, int seq) {
        if (op instanceof TableChange.NewService o) {
            return newService(family, o.spec(), seq);
        } else if (op instanceof TableChange.SetService o) {
            return setService(family, o.spec(), seq);
        } else if (op instanceof TableChange.DelService o) {
            return delService(family, o.key(), seq);
        } else if (op instanceof TableChange.NewBackend o) {
            return newDest(family, o.service(), o.dest(), seq);
        } else if (op instanceof TableChange.SetBackend o) {
            return setDest(family, o.service(), o.dest(), seq);
        } else if (op instanceof TableChange.DelBackend o) {
            return delDest(family, o.service(), o.dest(), seq);
        }
        throw new IllegalArgumentException("unknown IPVS operation " + op);
    }
}
