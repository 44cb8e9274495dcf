package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.ipvs.genl.Ipvs;
import io.vipkeeper.appliance.ipvs.genl.IpvsMessages;
import io.vipkeeper.appliance.ipvs.genl.IpvsReplies;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Replies shaped as ip_vs_ctl.c fills them (service with HASHED, STATS64; dest with conns). */
class IpvsRepliesTest {
    private static NetlinkMessage parse(byte[] m) {
        return NetlinkMessage.parseAll(m, m.length).get(0);
    }

    private static byte[] flags(int f) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(f).putInt(-1).array();
    }

    /** A GET_SERVICE dump part: TCP 198.18.0.100:443 wlc, persistent, HASHED, an unknown attribute, STATS64. */
    static byte[] serviceReply() {
        return NetlinkMessageBuilder.genl(0x24, 2, Ipvs.CMD_NEW_SERVICE, 1).beginNest(Ipvs.CMD_ATTR_SERVICE)
                .attrU16(Ipvs.SVC_ATTR_AF, 2).attrU16(Ipvs.SVC_ATTR_PROTOCOL, 6)
                .attrBytes(Ipvs.SVC_ATTR_ADDR, NetUtil.createInetAddressFromIpAddressString("198.18.0.100").getAddress(), 16)
                .attrBe16(Ipvs.SVC_ATTR_PORT, 443).attrString(Ipvs.SVC_ATTR_SCHED_NAME, "wlc")
                .attrBytes(Ipvs.SVC_ATTR_FLAGS, flags(0x3)).attrU32(Ipvs.SVC_ATTR_TIMEOUT, 600)
                .attrBe32(Ipvs.SVC_ATTR_NETMASK, 0xffffff00L).attrU32(99, 7)
                .beginNest(Ipvs.SVC_ATTR_STATS64).attrU64(1, 5).attrU64(2, 10).attrU64(3, 9).attrU64(4, 1000)
                .attrU64(5, 900).endNest().endNest().build(1);
    }

    /** A GET_DEST dump part: NAT 198.18.1.2:8080 weight 2, 4 active and 7 inactive connections. */
    static byte[] destReply() {
        return NetlinkMessageBuilder.genl(0x24, 2, Ipvs.CMD_NEW_DEST, 1).beginNest(Ipvs.CMD_ATTR_DEST)
                .attrBytes(Ipvs.DEST_ATTR_ADDR, NetUtil.createInetAddressFromIpAddressString("198.18.1.2").getAddress(), 16)
                .attrBe16(Ipvs.DEST_ATTR_PORT, 8080).attrU32(Ipvs.DEST_ATTR_FWD_METHOD, 0).attrU32(Ipvs.DEST_ATTR_WEIGHT, 2)
                .attrU32(Ipvs.DEST_ATTR_U_THRESH, 0).attrU32(Ipvs.DEST_ATTR_L_THRESH, 0)
                .attrU32(Ipvs.DEST_ATTR_ACTIVE_CONNS, 4).attrU32(Ipvs.DEST_ATTR_INACT_CONNS, 7)
                .attrU16(Ipvs.DEST_ATTR_ADDR_FAMILY, 2).endNest().build(1);
    }

    @Test
    void serviceWithStats64() {
        byte[] m = serviceReply();
        ServiceSpec s = IpvsReplies.service(parse(m));
        assertEquals("TCP  198.18.0.100:443", s.key().toString());
        assertEquals(new ServiceSpec(s.key(), "wlc", 0x1, 600, 0xffffff00L), s.normalized());
        assertEquals(new TrafficCounters(5, 10, 9, 1000, 900), IpvsReplies.serviceStats(parse(m)));
    }

    @Test
    void destinationAndAMalformedOne() {
        ActualBackend d = IpvsReplies.dest(parse(destReply()), false);
        assertEquals("198.18.1.2:8080", d.spec().key().toString());
        assertEquals(Forwarding.NAT, d.spec().forwarding());
        assertEquals(2, d.spec().weight());
        assertEquals(4, d.activeConnections());
        byte[] noWeight = NetlinkMessageBuilder.genl(0x24, 2, Ipvs.CMD_NEW_DEST, 1).beginNest(Ipvs.CMD_ATTR_DEST)
                .attrBytes(Ipvs.DEST_ATTR_ADDR, new byte[16]).attrBe16(Ipvs.DEST_ATTR_PORT, 1)
                .attrU32(Ipvs.DEST_ATTR_FWD_METHOD, 0).endNest().build(1);
        assertThrows(NetlinkFormatException.class, () -> IpvsReplies.dest(parse(noWeight), false));
    }

    @Test
    void aDaemonReplyCarriesItsOptionsOfEitherFamily() throws Exception {
        for (String group : new String[] {"239.0.0.81", "ff02::81"}) {
            SyncDaemonState d = new SyncDaemonState(SyncDaemonState.BACKUP, "eth1", 7, 1024,
                    java.util.Optional.of(java.net.InetAddress.getByName(group)), 8849, 3);
            // NEW_DAEMON's nest is laid out as the kernel's GET_DAEMON reply (ip_vs_genl_fill_daemon).
            assertEquals(d, IpvsReplies.daemon(parse(IpvsMessages.newDaemon(0x24, d, 1))));
        }
        SyncDaemonState old = new SyncDaemonState(SyncDaemonState.MASTER, "eth0", 51);
        assertEquals(old, IpvsReplies.daemon(parse(IpvsMessages.newDaemon(0x24, old, 1))),
                "a kernel before 4.3 reports no options");
    }
}
