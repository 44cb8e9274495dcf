package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.netty.util.NetUtil;
import io.vipkeeper.appliance.ipvs.genl.Ipvs;
import io.vipkeeper.appliance.ipvs.genl.IpvsMessages;
import io.vipkeeper.appliance.ipvs.genl.IpvsReplies;
import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import io.vipkeeper.vrrp.fuzz.Mutator;
import io.vipkeeper.vrrp.linux.NetlinkFuzzTargets;
import io.vipkeeper.vrrp.linux.netlink.GenericNetlink;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import java.util.List;
import java.util.Set;

/**
 * The IPVS reply parsers under fuzzing, on datagrams seeded with replies shaped as ip_vs_ctl.c
 * sends them and with our own request encodings (a NEW_SERVICE request carries a service exactly
 * as a dump reply does). A result must also print (ipvs list, status) without an exception.
 */
public final class IpvsFuzzTargets {
    private static final int FAMILY = 0x24;
    private static final int MULTI = NetlinkMessageBuilder.NLM_F_MULTI;

    private IpvsFuzzTargets() {
    }

    /** The IPVS targets. */
    public static List<FuzzTarget> all() {
        return List.of(services(), dests(), others());
    }

    /** {@link IpvsReplies#service} and {@link IpvsReplies#serviceStats} on a GET_SERVICE dump. */
    static FuzzTarget services() {
        ServiceSpec tcp = new ServiceSpec(ServiceKey.of(TransportProtocol.TCP, ip("198.18.0.100"), 80), "wrr", 0, 0,
                0xffffffffL);
        ServiceSpec fwmark = new ServiceSpec(ServiceKey.ofFwmark(7, true), "sh", 0x1 | 0x8, 300, 128);
        byte[] reply = IpvsRepliesTest.serviceReply();
        List<byte[]> seeds = List.of(reply, IpvsMessages.newService(FAMILY, tcp, 3),
                IpvsMessages.newService(FAMILY, fwmark, 4), Mutator.concat(reply, IpvsMessages.newService(FAMILY, fwmark, 1)));
        return NetlinkFuzzTargets.replies("IpvsReplies.service", seeds, IpvsFuzzTargets::familyMessage, m -> {
            IpvsReplies.service(m).toString();
            IpvsReplies.serviceStats(m).toString();
        });
    }

    /** {@link IpvsReplies#dest} on a GET_DEST dump of an IPv4 service. */
    static FuzzTarget dests() {
        byte[] gue = NetlinkMessageBuilder.genl(FAMILY, MULTI, Ipvs.CMD_NEW_DEST, 1).beginNest(Ipvs.CMD_ATTR_DEST)
                .attrBytes(Ipvs.DEST_ATTR_ADDR, ip("2001:db8::7").getAddress(), 16).attrBe16(Ipvs.DEST_ATTR_PORT, 80)
                .attrU32(Ipvs.DEST_ATTR_FWD_METHOD, 2).attrU32(Ipvs.DEST_ATTR_WEIGHT, 100)
                .attrU32(Ipvs.DEST_ATTR_U_THRESH, 1000).attrU32(Ipvs.DEST_ATTR_L_THRESH, 10)
                .attrU32(Ipvs.DEST_ATTR_ACTIVE_CONNS, 0).attrU32(Ipvs.DEST_ATTR_INACT_CONNS, 0)
                .attrU32(Ipvs.DEST_ATTR_PERSIST_CONNS, 3).attrU16(Ipvs.DEST_ATTR_ADDR_FAMILY, 10)
                .attrU8(Ipvs.DEST_ATTR_TUN_TYPE, 1).attrBe16(Ipvs.DEST_ATTR_TUN_PORT, 6080)
                .attrU16(Ipvs.DEST_ATTR_TUN_FLAGS, 1)
                .beginNest(Ipvs.DEST_ATTR_STATS).attrU32(1, 1).attrU32(2, 2).attrU32(3, 3).attrU64(4, 4).attrU64(5, 5)
                .endNest().endNest().build(2);
        byte[] reply = IpvsRepliesTest.destReply();
        return NetlinkFuzzTargets.replies("IpvsReplies.dest", List.of(reply, gue, Mutator.concat(reply, gue)),
                IpvsFuzzTargets::familyMessage, m -> IpvsReplies.dest(m, false).toString());
    }

    /** The single replies, by the command the kernel answers with: SET_INFO, SET_CONFIG, NEW_DAEMON. */
    static FuzzTarget others() {
        byte[] info = NetlinkMessageBuilder.genl(FAMILY, 0, Ipvs.CMD_SET_INFO, 1)
                .attrU32(Ipvs.INFO_ATTR_VERSION, 0x010201).attrU32(Ipvs.INFO_ATTR_CONN_TAB_SIZE, 4096).build(5);
        List<byte[]> seeds = List.of(info, IpvsMessages.setConfig(FAMILY, new IpvsTimeouts(900, 120, 300), 6),
                IpvsMessages.newDaemon(FAMILY, new SyncDaemonState(Ipvs.STATE_BACKUP, "eth1", 51), 7),
                Mutator.concat(IpvsMessages.newDaemon(FAMILY, new SyncDaemonState(Ipvs.STATE_MASTER, "", 0), 8), info));
        Set<Integer> commands = Set.of(Ipvs.CMD_SET_INFO, Ipvs.CMD_SET_CONFIG, Ipvs.CMD_NEW_DAEMON);
        return NetlinkFuzzTargets.replies("IpvsReplies info/config/daemon", seeds,
                m -> familyMessage(m) && m.payload().length > 0 && commands.contains(m.payload()[0] & 0xff), m -> {
                    switch (m.payload()[0]) {
                        case Ipvs.CMD_SET_INFO -> IpvsReplies.info(m).versionLine();
                        case Ipvs.CMD_SET_CONFIG -> IpvsReplies.timeouts(m).toString();
                        default -> IpvsReplies.daemon(m).stateName();
                    }
                });
    }

    /** What NetlinkSocket.request hands the client: every message that is not NLMSG_ERROR/DONE/... */
    private static boolean familyMessage(NetlinkMessage m) {
        return m.type() >= GenericNetlink.ID_CTRL;
    }

    private static java.net.InetAddress ip(String s) {
        return NetUtil.createInetAddressFromIpAddressString(s);
    }
}
